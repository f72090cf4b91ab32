"""Which earlier units a unit took over, through the chain of reorganisations (pure; the
rows come from ``org.Succession``; docs/counting.md, "Units that were reorganised").

A succession row says: from ``effective_date`` on, the successor took over the predecessor
(merged into it, or a part of it when the predecessor was split). Chains resolve: a
district merged into a commune on 1/7/2025, the commune merged into a ward on 1/1/2027:
the ward took over both. A class of the district reaches the ward only if it still ran on
both days, so the day a chain takes effect is its *latest* date; when two chains lead to
the same predecessor, the one that takes effect first wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def _under(path: str, roots: Iterable[str]) -> bool:
    return any(path.startswith(root) for root in roots)


def inherited_paths(path: str, links: Iterable[tuple[str, str, dt.date]]) -> dict[str, dt.date]:
    """The units taken over by the unit at ``path`` or by any unit below it, as
    ``{predecessor path: the day from which its records pass}``.

    ``links`` are (predecessor path, successor path, effective date). A predecessor that
    lies below ``path`` already (a centre merged into another centre of the same commune)
    is left out, and so is one below another predecessor taken over on the same day or
    earlier: its records are already reached. Cycles (a data error) end the walk."""
    by_successor: dict[str, list[tuple[str, dt.date]]] = {}
    for predecessor, successor, day in links:
        by_successor.setdefault(successor, []).append((predecessor, day))
    found: dict[str, dt.date] = {}
    # Start from every successor in the unit's subtree, then walk back along the chains.
    queue = [(succ, dt.date.min) for succ in by_successor if succ.startswith(path)]
    while queue:
        successor, since = queue.pop()
        for predecessor, day in by_successor[successor]:
            day = max(day, since)
            if predecessor.startswith(path) or (predecessor in found and found[predecessor] <= day):
                continue
            found[predecessor] = day
            # What the predecessor (or a unit below it) had itself taken over passes on too.
            queue += [(succ, day) for succ in by_successor if succ.startswith(predecessor)]
    # A predecessor's subtree is reached with it: drop those already covered as early.
    return {
        pred: day
        for pred, day in found.items()
        if not any(pred != other and pred.startswith(other) and found[other] <= day for other in found)
    }
