"""The one search for people and folded texts (DESIGN.md section 5).

What a user types is matched word by word against a stored folded key (``search_key``):
case and diacritics are ignored, and every word typed must be the start of a word of the
key ("tran diep" finds "Trần Thị Ngọc Diệp"; "hai" finds Hải, Hài and Hai, and neither Thái
nor Khải). A word of a key starts at the key's start or after a space (``NAME_BREAKS``: a
person's folded name is single-spaced words); in a text, also after an opening bracket or
quote, a hyphen or a slash (``TEXT_BREAKS``), so that "doi moi" finds a title that says
“Đổi mới…” and "vung tau" finds "Bà Rịa-Vũng Tàu". People (``person_search_q``) are
searched by name; the topic bank, the portal's articles and the admin's folded fields
(``folded_words_q``) as texts: a word in the middle of another ("hai" in "triển khai") is
no match there either.

A query that is one word of digits is the start of a national ID instead (a whole one,
12 digits, finds its person); with a ``user``, it finds only the people whose personal data
that user sees in full (``people.privacy``), so that a masked viewer cannot confirm a number
by searching it.

``ranked`` orders the people a search found: the whole name first, then the given names
typed, then the rest, each group in Vietnamese name order.

The students page, the applications, the API, the admin, the graduation register, the
career events and the topic bank all search through here.
"""

from __future__ import annotations

import re

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.db.models.lookups import Exact

from daotao.lib.vietnamese import SEARCH_MAX_LENGTH, fold, is_whole_number, search_words
from daotao.people.privacy import personal_data_access

# What may come just before the start of a word in a folded key.
NAME_BREAKS = (" ",)
TEXT_BREAKS = (" ", "(", "“", '"', "‘", "'", "-", "/")

# The groups of ``ranked``, best first.
WHOLE_NAME, GIVEN_NAME, OTHER = 0, 1, 2


def word_start_q(field: str, word: str, breaks: tuple[str, ...] = TEXT_BREAKS) -> Q:
    """``word`` at the start of a word of ``field``, a stored folded key."""
    return Q(**{f"{field}__startswith": word}) | Q(
        *[Q(**{f"{field}__contains": mark + word}) for mark in breaks], _connector=Q.OR
    )


def folded_words_q(query: str, *fields: str, breaks: tuple[str, ...] = TEXT_BREAKS) -> Q:
    """Every folded word of ``query`` (``search_words``) starting a word of one of
    ``fields``, stored folded keys; ``Q()`` (everything) when the query has no words."""
    condition = Q()
    for word in search_words(query):
        condition &= Q(*[word_start_q(field, word, breaks) for field in fields], _connector=Q.OR)
    return condition


def national_id_query(query: str) -> bool:
    """Whether a search is for the start of a national ID (one word of digits 0-9)."""
    words = search_words(query)
    return len(words) == 1 and is_whole_number(words[0])


def person_search_q(query: str, user=None, *, prefix: str = "", model=None) -> Q:
    """People with a word of their folded name starting with each word of ``query``, or
    whose national ID starts with it; ``prefix`` is the path to the person (``"student__"``),
    ``model`` the person's model (Student by default, or Application) for the privacy rule."""
    if not national_id_query(query):
        return folded_words_q(query, f"{prefix}search_key", breaks=NAME_BREAKS)
    condition = Q(**{f"{prefix}national_id__startswith": search_words(query)[0]})
    if user is not None:
        if model is None:
            from daotao.people.models import Student

            model = Student
        condition &= personal_data_access(user).q(model, prefix)
    return condition


def _whole_word_q(key: str, word: str) -> Q:
    return (
        Q(**{key: word})
        | Q(**{f"{key}__startswith": f"{word} "})
        | Q(**{f"{key}__endswith": f" {word}"})
        | Q(**{f"{key}__contains": f" {word} "})
    )


def _whole_name_q(key: str, query: str) -> Q:
    """The name is the query's words: as typed, or in another order ("hang nguyen thi
    thu") when no word repeats: each word is then a whole word of the name, and a name as
    long as the query holds nothing else."""
    typed = fold(query[:SEARCH_MAX_LENGTH])
    condition = Q(**{key: typed})
    words = typed.split(" ")
    if 1 < len(words) == len(set(words)) == len(search_words(query)):
        every_word = Q(*[_whole_word_q(key, word) for word in words])
        condition |= every_word & Exact(Length(key), len(typed))
    return condition


def _given_name_q(key: str, words: list[str]) -> Q:
    """The given name (the key's last word) is one of ``words``, or starts with the last
    of them, which may still be being typed. The database's regular expressions (Python's
    ``re`` on SQLite, POSIX on PostgreSQL) agree on this escaped pattern."""
    condition = Q(**{f"{key}__regex": rf"(^| ){re.escape(words[-1])}[^ ]*$"})
    for word in words[:-1]:
        condition |= Q(**{key: word}) | Q(**{f"{key}__endswith": f" {word}"})
    return condition


def ranked(queryset: QuerySet, query: str, *, prefix: str = "") -> QuerySet:
    """``queryset`` (people a search for ``query`` found, or rows with a person at
    ``prefix``) best first: the whole name typed (``WHOLE_NAME``), then those whose given
    name was typed (``GIVEN_NAME``), then the others; each group in Vietnamese name order.
    The group is annotated as ``search_rank``. Without words, or for a national ID, the
    order is the name order alone."""
    order = [f"{prefix}sort_key", f"{prefix}id"]
    words = search_words(query)
    if not words or national_id_query(query):
        return queryset.order_by(*order)
    key = f"{prefix}search_key"
    rank = Case(
        When(_whole_name_q(key, query), then=Value(WHOLE_NAME)),
        When(_given_name_q(key, words), then=Value(GIVEN_NAME)),
        default=Value(OTHER),
        output_field=IntegerField(),
    )
    return queryset.annotate(search_rank=rank).order_by("search_rank", *order)


def national_id_search_refused(query: str, user) -> bool:
    """Whether the page should say that the user may not search by national ID: the query
    is one and the user sees nobody's personal data."""
    return national_id_query(query) and personal_data_access(user).nobody
