"""The one search for people and folded texts (DESIGN.md section 5).

What a user types is matched word by word against a stored folded key (``search_key``):
case and diacritics are ignored, every word must appear ("tran diep" finds "Trần Thị Ngọc
Diệp"). A query that is one word of digits is the start of a national ID instead; with a
``user``, it finds only the people whose personal data that user sees in full
(``people.privacy``), so that a masked viewer cannot confirm a number by searching it.

The students page, the applications, the API, the admin, the graduation register, the
career events and the topic bank all search through here.
"""

from __future__ import annotations

from django.db.models import Q

from daotao.lib.vietnamese import is_whole_number, search_words
from daotao.people.privacy import personal_data_access


def folded_words_q(query: str, *fields: str) -> Q:
    """Every folded word of ``query`` (``search_words``) in one of ``fields``, stored folded
    keys; ``Q()`` (everything) when the query has no words."""
    condition = Q()
    for word in search_words(query):
        condition &= Q(*[Q(**{f"{field}__contains": word}) for field in fields], _connector=Q.OR)
    return condition


def national_id_query(query: str) -> bool:
    """Whether a search is for the start of a national ID (one word of digits 0-9)."""
    words = search_words(query)
    return len(words) == 1 and is_whole_number(words[0])


def person_search_q(query: str, user=None, *, prefix: str = "", model=None) -> Q:
    """People whose folded name holds every word of ``query``, or whose national ID starts
    with it; ``prefix`` is the path to the person (``"student__"``), ``model`` the person's
    model (Student by default, or Application) for the privacy rule."""
    if not national_id_query(query):
        return folded_words_q(query, f"{prefix}search_key")
    condition = Q(**{f"{prefix}national_id__startswith": search_words(query)[0]})
    if user is not None:
        if model is None:
            from daotao.people.models import Student

            model = Student
        condition &= personal_data_access(user).q(model, prefix)
    return condition


def national_id_search_refused(query: str, user) -> bool:
    """Whether the page should say that the user may not search by national ID: the query
    is one and the user sees nobody's personal data."""
    return national_id_query(query) and personal_data_access(user).nobody
