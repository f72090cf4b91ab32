"""Benchmarks (docs/performance.md): the yearly report on a synthetic province
(``python -m bench.reports``) and the portal under load (``python -m bench.portal``)."""
