"""The RSS feed of the latest published articles."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from daotao.portal.models import Article
from daotao.school import identity

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    link = reverse_lazy("portal:home")
    description = _("The latest news of the school.")

    def title(self):
        return identity.current().name

    def items(self):
        return Article.objects.published().select_related("category", "author").defer("body", "search_key")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.get_full_name() or item.author.username if item.author else None

    def item_categories(self, item):
        return [item.category.name]
