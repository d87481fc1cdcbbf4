"""Builders and checkers the tests share; no tests here."""
