"""Tests of `planner.solve`."""
