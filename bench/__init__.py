"""Benchmarks that run against a synthetic province (``python -m bench.reports``)."""
