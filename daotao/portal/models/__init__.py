"""The public portal: articles and banners (articles.py), view and visit counters (counters.py)."""

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
    "DailyVisits",
    "VisitOffset",
]
