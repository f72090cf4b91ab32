"""The admin's search as the pages search (``people.search``): folded words, and people by
name or the start of a national ID the user may see. For the admin of every app that
searches people or folded texts; the bounded search itself is ``web.adminutils``."""

from __future__ import annotations

from django.db.models import Q

from daotao.lib.vietnamese import search_words
from daotao.people.search import folded_words_q, person_search_q
from daotao.web.adminutils import BoundedSearchMixin


class FoldedSearchMixin(BoundedSearchMixin):
    """Search that ignores case and diacritics, as the pages search (``people.search``):
    every word of the query starting a word of one of ``folded_search_fields`` (stored
    folded keys, searched as texts); with ``person_search`` (the path to a Student or an
    Application: ``""``, ``"student__"``), the people's search, a folded name or the start
    of a national ID the user may see; or the query in ``search_fields`` as Django searches
    them. The admin keeps its own order."""

    folded_search_fields: tuple[str, ...] = ()
    person_search: str | None = None

    def get_search_results(self, request, queryset, search_term):
        plain, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = [folded_words_q(search_term, *self.folded_search_fields)] if self.folded_search_fields else []
        if self.person_search is not None:
            model = self.model if self.person_search == "" else None
            folded.append(person_search_q(search_term, request.user, prefix=self.person_search, model=model))
        if not search_words(search_term) or not folded:
            return plain, may_have_duplicates
        return queryset.filter(Q(*folded, _connector=Q.OR)) | plain, may_have_duplicates
