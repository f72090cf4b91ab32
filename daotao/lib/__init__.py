"""Helpers that import nothing from Django: tested without a database."""
