"""Near-duplicate texts, ignoring case and Vietnamese diacritics (no Django import).

Titles are compared by character trigrams, long texts by word trigrams ("shingles"); the
similarity is the Jaccard index of the two sets. ``ShingleIndex`` finds the candidates
sharing shingles with a text through an inverted index, so a new essay is compared only
with the essays that share some wording, not with every essay of every year.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable

from daotao.lib.vietnamese import fold

TITLE_THRESHOLD = 0.75
TEXT_THRESHOLD = 0.5
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text or ""))


def title_shingles(text: str) -> frozenset[str]:
    """Character trigrams of the folded words, joined by single spaces."""
    joined = " ".join(words(text))
    return frozenset(joined[i : i + 3] for i in range(max(len(joined) - 2, 0)))


def text_shingles(text: str, size: int = 3) -> frozenset[tuple[str, ...]]:
    tokens = words(text)
    if len(tokens) < size:
        return frozenset([tuple(tokens)]) if tokens else frozenset()
    return frozenset(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class ShingleIndex:
    """An inverted index from shingle to the keys of the documents holding it."""

    def __init__(self):
        self.shingles: dict[Hashable, frozenset] = {}
        self.postings: dict[Hashable, set] = defaultdict(set)

    def add(self, key: Hashable, shingles: frozenset) -> None:
        self.shingles[key] = shingles
        for shingle in shingles:
            self.postings[shingle].add(key)

    def similar(self, shingles: frozenset, threshold: float, exclude: Hashable = None) -> list[tuple[Hashable, float]]:
        """(key, similarity) of the documents at least ``threshold`` similar, best first.

        A document can reach the threshold only if it shares at least threshold × |query|
        shingles, so candidates sharing fewer are never scored."""
        shared = Counter(key for shingle in shingles for key in self.postings.get(shingle, ()))
        needed = threshold * len(shingles)
        found = []
        for key, count in shared.items():
            if key == exclude or count < needed:
                continue
            score = jaccard(shingles, self.shingles[key])
            if score >= threshold:
                found.append((key, round(score, 3)))
        return sorted(found, key=lambda item: (-item[1], str(item[0])))


def build_index(documents: Iterable[tuple[Hashable, frozenset]]) -> ShingleIndex:
    index = ShingleIndex()
    for key, shingles in documents:
        index.add(key, shingles)
    return index
