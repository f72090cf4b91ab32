"""Workflows that make articles from other records."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from daotao.portal.models import Article, ArticleStatus, Category
from daotao.portal.models.articles import vietnamese_slug

NO_CATEGORY = _("Create a news category first: a draft needs one.")


def _free_slug(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not taken yet."""
    base = base or "tin"
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def article_draft_from_report(*, report, author) -> Article:
    """A draft article in the first category, its summary and body the report's summary
    paragraph (``daotao.reports.annual.annual_report``); an editor finishes and publishes it."""
    category = Category.objects.order_by("order", "name", "id").first()
    if category is None:
        raise ValidationError(NO_CATEGORY)
    article = Article(
        title=report.title,
        slug=_free_slug(vietnamese_slug(report.title)),
        category=category,
        summary=report.summary,
        body=f"<p>{escape(report.summary)}</p>" if report.summary else "",
        status=ArticleStatus.DRAFT,
        author=author,
    )
    article.full_clean()
    article.save()
    return article
