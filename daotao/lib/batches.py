"""Splitting many values into the batches a database accepts, with no Django import."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

IN_CHUNK = 900  # values per IN (...) lookup: under SQLite's oldest parameter limit
BATCH = 500  # rows per bulk insert or update statement


def chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in consecutive slices of at most ``size``: ``[1, 2, 3]`` by 2 -> ``[1, 2]``, ``[3]``."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
