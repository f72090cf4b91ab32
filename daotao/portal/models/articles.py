"""News articles, their categories and images, and the banners of campaigns.

An article's body is sanitised when it is saved or checked (``daotao.lib.html``; a restore
checks every record it loads), and once more when a page prints it, so a body that reached
the database some other way (a bulk load, an ``update()``, SQL) cannot carry a script onto
the page; the folded search key is computed on save too, so the search ignores case and
diacritics the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from daotao.lib.html import html_to_text, sanitize_article_html
from daotao.lib.vietnamese import fold, normalize_space, search_words
from daotao.people.search import folded_words_q


def vietnamese_slug(text: str, max_length: int = 200) -> str:
    """``Khai giảng lớp Trung cấp`` -> ``khai-giang-lop-trung-cap`` (đ -> d, as the admin's script does)."""
    return slugify(fold(text))[:max_length].strip("-")


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, help_text=_("The category's part of the web address.")
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Smaller numbers come first in the menu.")
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:category", args=[self.slug])


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        """What the public sees: published, and the publish time has come."""
        return self.filter(status=ArticleStatus.PUBLISHED, published_at__lte=timezone.now())

    def search(self, query: str) -> ArticleQuerySet:
        """Every word of the query (case and diacritics ignored) starting a word of the title,
        summary or body (``people.search.folded_words_q``)."""
        if not search_words(query):
            return self.none()
        return self.filter(folded_words_q(query, "search_key"))

    def top_per_category(self, count: int) -> ArticleQuerySet:
        """At most ``count`` articles of each category, featured ones first, then the newest:
        one query however many categories there are."""
        rank = Window(
            RowNumber(),
            partition_by=F("category_id"),
            order_by=[F("featured").desc(), F("published_at").desc(), F("id").desc()],
        )
        return self.annotate(rank_in_category=rank).filter(rank_in_category__lte=count)


class Article(models.Model):
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The article's part of the web address; filled from the title."),
    )
    category = models.ForeignKey(Category, models.PROTECT, related_name="articles", verbose_name=_("category"))
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences shown in lists and the feed.")
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_(
            "HTML: paragraphs, headings, bold, italic, links, lists, quotations, images, tables. "
            "Scripts, styles and anything else are removed when the article is saved."
        ),
    )
    cover_image = models.ImageField(_("cover image"), upload_to="portal/covers/%Y/%m/", blank=True)
    cover_caption = models.CharField(_("cover caption"), max_length=255, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("author"),
        help_text=_("Who created the article."),
    )
    status = models.CharField(_("status"), max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    published_at = models.DateTimeField(
        _("publish time"),
        default=timezone.now,
        db_index=True,
        help_text=_("A published article stays hidden until this time."),
    )
    featured = models.BooleanField(_("featured"), default=False, help_text=_("Shown first on the home page."))
    # Incremented by the portal's view counter (daotao.portal.counting), in the transaction
    # that records who was counted.
    view_count = models.PositiveBigIntegerField(_("views"), default=0, editable=False)
    search_key = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "category", "published_at"], name="portal_article_listing")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:article", args=[self.category.slug, self.slug])

    def get_preview_url(self) -> str:
        return reverse("portal:preview", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED and self.published_at <= timezone.now()

    @property
    def body_html(self) -> str:
        """The body as a page prints it: sanitised again on the way out (about 20 µs)."""
        return mark_safe(sanitize_article_html(self.body))

    def clean_fields(self, exclude=None):
        # Before the fields are checked, so that an empty slug is filled rather than refused;
        # the body too, so that a record checked and then saved raw (a restore) is clean.
        self.title = normalize_space(self.title)
        if not self.slug and self.title:
            self.slug = vietnamese_slug(self.title)
        self.sanitize()
        super().clean_fields(exclude)

    def sanitize(self) -> None:
        """The body reduced to the allow-list, and the search key computed from it."""
        self.body = sanitize_article_html(self.body)
        self.search_key = fold(" ".join([self.title, self.summary, html_to_text(self.body)]))

    def save(self, *args, **kwargs):
        self.sanitize()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "summary", "body"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "body", "search_key"}
        super().save(*args, **kwargs)


class ArticleImage(models.Model):
    """An image shown in the article as a figure with its caption."""

    article = models.ForeignKey(Article, models.CASCADE, related_name="images", verbose_name=_("article"))
    image = models.ImageField(_("image"), upload_to="portal/images/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class BannerPlacement(models.TextChoices):
    TOP = "top", _("Top of every page")
    SIDEBAR = "sidebar", _("Sidebar")


def validate_banner_link(value: str) -> None:
    """A banner links to a page of this site (``/...``) or to an http(s) address."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"], message=_("Enter an address starting with https://, http:// or /."))(value)


class BannerQuerySet(models.QuerySet):
    def active(self, on: dt.date | None = None) -> BannerQuerySet:
        """Banners shown on a day (today in the school's time zone by default): both ends inclusive."""
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on)


class Banner(models.Model):
    """A campaign banner, shown from its first to its last day (local dates)."""

    title = models.CharField(_("title"), max_length=255)
    image = models.ImageField(_("image"), upload_to="portal/banners/")
    link = models.CharField(
        _("link"),
        max_length=500,
        blank=True,
        validators=[validate_banner_link],
        help_text=_("Where the banner leads: https://... or a page of this site, /..."),
    )
    placement = models.CharField(
        _("placement"), max_length=16, choices=BannerPlacement.choices, default=BannerPlacement.SIDEBAR
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Smaller numbers come first."))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    objects = BannerQuerySet.as_manager()

    class Meta:
        verbose_name = _("banner")
        verbose_name_plural = _("banners")
        ordering = ["placement", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="portal_banner_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})

    def is_active(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on <= self.ends_on
