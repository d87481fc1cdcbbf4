"""Tests of `planner.workbook`."""
