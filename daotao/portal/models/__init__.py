"""The public portal: articles and banners (articles.py), view and visit counters (counters.py),
who was already counted today (counted.py)."""

from daotao.portal.models.articles import (
    Article,
    ArticleImage,
    ArticleQuerySet,
    ArticleStatus,
    Banner,
    BannerPlacement,
    BannerQuerySet,
    Category,
)
from daotao.portal.models.counted import CountedKey
from daotao.portal.models.counters import DailyVisits, VisitOffset

__all__ = [
    "Article",
    "ArticleImage",
    "ArticleQuerySet",
    "ArticleStatus",
    "Banner",
    "BannerPlacement",
    "BannerQuerySet",
    "Category",
    "CountedKey",
    "DailyVisits",
    "VisitOffset",
]
