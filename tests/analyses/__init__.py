"""Tests of `planner.analyses`."""
