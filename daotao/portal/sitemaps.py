"""The sitemap: the home page, the categories and every published article."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from daotao.portal.models import Article, Category


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["portal:home"]

    def location(self, item):
        return reverse(item)


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Category.objects.all()


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().select_related("category").defer("body", "search_key")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"home": HomeSitemap, "categories": CategorySitemap, "articles": ArticleSitemap}
