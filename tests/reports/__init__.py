"""Tests of `planner.reports`."""
