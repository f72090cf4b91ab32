"""Admin helpers shared by the apps: accent-folded search and per-user scoping."""

from __future__ import annotations

from django.db.models import Q

from daotao.lib.vietnamese import fold


class FoldedSearchMixin:
    """Search that ignores case and diacritics: every word of the query must appear in one
    of ``folded_search_fields`` (stored folded keys), or the whole query in ``search_fields``."""

    folded_search_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        words = fold(search_term).split()
        if not words or not self.folded_search_fields:
            return super().get_search_results(request, queryset, search_term)
        folded = Q()
        for word in words:
            folded &= Q(*[Q(**{f"{field}__contains": word}) for field in self.folded_search_fields], _connector=Q.OR)
        plain, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.filter(folded) | plain, may_have_duplicates


class ScopedAdminMixin:
    """The admin lists only what the user may see, through the model's ``visible_to``."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
