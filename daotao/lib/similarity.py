"""Near-duplicate titles and texts, ignoring case and Vietnamese diacritics (no Django import).

Titles are compared by the Jaccard index of their character trigrams; long texts by word
trigrams ("shingles"): the Jaccard index, or the containment of the shorter text in the
longer one (a text copied into a longer essay), whichever is higher.

``ShingleIndex`` is an inverted index from shingle to documents. A query counts, through
the postings of its own shingles, how many shingles each other document shares with it;
both measures follow from that count and the two set sizes, so a document sharing no
wording is never looked at and no set is ever intersected: finding the near-duplicates
of one essay among thousands costs the length of the postings it touches.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from daotao.lib.vietnamese import fold

# Two titles whose character trigrams overlap this much (Jaccard) are near-duplicates.
TITLE_THRESHOLD = 0.75
# Two texts whose word trigrams overlap this much (Jaccard) are near-duplicates ...
TEXT_THRESHOLD = 0.5
# ... and so is a text of which this share is found in another (containment) ...
TEXT_CONTAINMENT_THRESHOLD = 0.8
# ... when the shorter of the two has at least this many word trigrams (a few sentences
# are contained in many texts without being copied from them).
MIN_CONTAINMENT_SHINGLES = 30
# Word n-grams of texts.
TEXT_SHINGLE_SIZE = 3

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The folded words of a text: "Chi bộ, Đảng" -> ["chi", "bo", "dang"]."""
    return _WORD.findall(fold(text or ""))


def title_shingles(text: str) -> frozenset[str]:
    """Character trigrams of the folded words joined by single spaces (punctuation ignored)."""
    joined = " ".join(words(text))
    if 0 < len(joined) < 3:
        return frozenset([joined])
    return frozenset(joined[i : i + 3] for i in range(len(joined) - 2))


def text_shingles(text: str, size: int = TEXT_SHINGLE_SIZE) -> frozenset[tuple[str, ...]]:
    """Word ``size``-grams of the folded text; a text shorter than that is one shingle."""
    tokens = words(text)
    if len(tokens) < size:
        return frozenset([tuple(tokens)]) if tokens else frozenset()
    return frozenset(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    """|a ∩ b| / |a ∪ b|; 0 when either is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def containment(a: frozenset, b: frozenset) -> float:
    """The share of the smaller set found in the other; 0 when either is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@dataclass(frozen=True)
class Measure:
    """When two shingle sets are near-duplicates: Jaccard at least ``threshold``, or (when
    ``containment_threshold`` is set and the smaller set has at least ``min_containment``
    shingles) containment at least ``containment_threshold``."""

    threshold: float
    containment_threshold: float | None = None
    min_containment: int = MIN_CONTAINMENT_SHINGLES

    def score(self, shared: int, size_a: int, size_b: int) -> float:
        """The similarity of two sets of these sizes sharing ``shared`` shingles, or 0 when
        they are not near-duplicates."""
        if not shared:
            return 0.0
        best = 0.0
        jaccard_value = shared / (size_a + size_b - shared)
        if jaccard_value >= self.threshold:
            best = jaccard_value
        smaller = min(size_a, size_b)
        if self.containment_threshold is not None and smaller >= self.min_containment:
            contained = shared / smaller
            if contained >= self.containment_threshold:
                best = max(best, contained)
        return best

    def needed(self, size: int) -> float:
        """Fewest shared shingles with which a query of ``size`` shingles can still match a
        document of any size (a cheap test before scoring)."""
        needed = self.threshold * size  # Jaccard <= shared / |query|
        if self.containment_threshold is not None:
            needed = min(needed, self.containment_threshold * self.min_containment)
        return needed

    def similar(self, a: frozenset, b: frozenset) -> float:
        return self.score(len(a & b), len(a), len(b)) if a and b else 0.0


TITLES = Measure(TITLE_THRESHOLD)
TEXTS = Measure(TEXT_THRESHOLD, TEXT_CONTAINMENT_THRESHOLD)


class ShingleIndex:
    """An inverted index from shingle to the keys of the documents holding it."""

    def __init__(self):
        self.sizes: dict[Hashable, int] = {}
        self.postings: dict[Hashable, list] = defaultdict(list)

    def __len__(self) -> int:
        return len(self.sizes)

    def add(self, key: Hashable, shingles: Iterable) -> None:
        shingles = frozenset(shingles)
        if key in self.sizes:
            raise ValueError(f"{key!r} is already in the index")
        if not shingles:
            return
        self.sizes[key] = len(shingles)
        for shingle in shingles:
            self.postings[shingle].append(key)

    def similar(
        self, shingles: frozenset, measure: Measure | float, exclude: Hashable = None
    ) -> list[tuple[Hashable, float]]:
        """(key, similarity rounded to 3 places) of the documents that are near-duplicates of
        ``shingles`` by ``measure`` (a Measure, or a Jaccard threshold), best first."""
        if not isinstance(measure, Measure):
            measure = Measure(measure)
        size = len(shingles)
        if not size:
            return []
        shared = Counter(key for shingle in shingles for key in self.postings.get(shingle, ()))
        needed = measure.needed(size)
        found = []
        for key, count in shared.items():
            if key == exclude or count < needed:
                continue
            score = measure.score(count, size, self.sizes[key])
            if score:
                found.append((key, round(score, 3)))
        return sorted(found, key=lambda item: (-item[1], str(item[0])))

    def pairs(self, measure: Measure | float) -> dict[Hashable, list[tuple[Hashable, float]]]:
        """Every document's near-duplicates among the others (only the documents that have
        some), each list best first."""
        documents: dict[Hashable, set] = defaultdict(set)
        for shingle, keys in self.postings.items():
            for key in keys:
                documents[key].add(shingle)
        result = {}
        for key, shingles in documents.items():
            found = self.similar(frozenset(shingles), measure, exclude=key)
            if found:
                result[key] = found
        return result


def build_index(documents: Iterable[tuple[Hashable, Iterable]]) -> ShingleIndex:
    """An index of (key, shingles) pairs."""
    index = ShingleIndex()
    for key, shingles in documents:
        index.add(key, shingles)
    return index


def near_duplicate_titles(title: str, candidates: Iterable[tuple[Hashable, str]]) -> list[tuple[Hashable, float]]:
    """(key, similarity) of the candidate titles at least ``TITLE_THRESHOLD`` alike."""
    index = build_index((key, title_shingles(text)) for key, text in candidates)
    return index.similar(title_shingles(title), TITLES)


def near_duplicate_texts(text: str, candidates: Iterable[tuple[Hashable, str]]) -> list[tuple[Hashable, float]]:
    """(key, similarity) of the candidate texts that are near-duplicates of ``text``."""
    index = build_index((key, text_shingles(other)) for key, other in candidates)
    return index.similar(text_shingles(text), TEXTS)
