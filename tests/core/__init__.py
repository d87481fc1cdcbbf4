"""Tests of `planner.core`."""
