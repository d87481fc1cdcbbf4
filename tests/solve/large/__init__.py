"""Tests of `planner.solve.large`."""
