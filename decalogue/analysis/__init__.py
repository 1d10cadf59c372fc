"""Comparing assessments and building a workshop consensus."""
