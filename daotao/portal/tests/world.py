"""The portal's test world: the personas of ``WorldTestCase`` plus an editor, three categories,
and builders that save articles and banners through their models (sanitising, search keys)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from daotao.accounts import roles
from daotao.lib.vietnamese import SCHOOL_TZ
from daotao.portal.models import Article, ArticleStatus, Banner, BannerPlacement, Category
from daotao.testing import WorldTestCase, make_user

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
_serial = itertools.count(1)


def local(year, month, day, hour=0, minute=0, second=0) -> dt.datetime:
    """A moment given in the school's time zone (UTC+7)."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=SCHOOL_TZ)


def make_article(category: Category, title: str | None = None, **extra) -> Article:
    number = next(_serial)
    title = title or f"Tin số {number}"
    values = {
        "slug": f"tin-so-{number}",
        "summary": f"Tóm tắt của tin số {number}.",
        "body": f"<p>Nội dung của tin số {number}.</p>",
        "status": ArticleStatus.PUBLISHED,
        "published_at": timezone.now() - dt.timedelta(days=1),
    }
    values.update(extra)
    article = Article(title=title, category=category, **values)
    article.save()
    return article


def make_banner(title: str, starts_on: dt.date, ends_on: dt.date, **extra) -> Banner:
    values = {"image": "portal/banners/banner.png", "placement": BannerPlacement.SIDEBAR}
    values.update(extra)
    banner = Banner(title=title, starts_on=starts_on, ends_on=ends_on, **values)
    banner.full_clean()
    banner.save()
    return banner


class PortalTestCase(WorldTestCase):
    """``WorldTestCase`` plus ``editor`` (the editor role) and three categories."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.editor = make_user("editor", roles.EDITOR)
        cls.activities = Category.objects.create(name="Tin hoạt động", slug="tin-hoat-dong", order=1)
        cls.training = Category.objects.create(name="Đào tạo, bồi dưỡng", slug="dao-tao-boi-duong", order=2)
        cls.research = Category.objects.create(name="Nghiên cứu khoa học", slug="nghien-cuu-khoa-hoc", order=3)

    def login(self, user):
        self.client.force_login(user)

    def queries(self, url: str, **params) -> int:
        """How many queries a page takes."""
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(url, params).status_code, 200)
        return len(captured)
