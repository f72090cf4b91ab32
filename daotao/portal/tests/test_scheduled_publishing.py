"""A published article with a future publish time stays hidden everywhere until its time."""

import datetime as dt

import time_machine
from django.urls import reverse

from daotao.portal.tests.world import PortalTestCase, local, make_article

BEFORE = local(2026, 3, 2, 7, 59, 59)
AT = local(2026, 3, 2, 8, 0, 0)


class ScheduledPublishingTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with time_machine.travel(local(2026, 3, 1, 12), tick=False):
            cls.scheduled = make_article(
                cls.training, "Khai giảng lớp Trung cấp hẹn giờ", slug="hen-gio", published_at=AT, featured=True
            )

    def where_shown(self) -> dict[str, bool]:
        home = self.client.get(reverse("portal:home"))
        category = self.client.get(reverse("portal:category", args=[self.training.slug]))
        detail = self.client.get(self.scheduled.get_absolute_url())
        feed = self.client.get(reverse("portal:feed"))
        sitemap = self.client.get(reverse("portal:sitemap"))
        search = self.client.get(reverse("portal:search"), {"q": "hen gio"})
        return {
            "home": self.scheduled in home.context["latest"] + home.context["featured"],
            "category": self.scheduled in list(category.context["page"]),
            "detail": detail.status_code == 200,
            "feed": b"/tin-tuc/dao-tao-boi-duong/hen-gio/" in feed.content,
            "sitemap": b"/tin-tuc/dao-tao-boi-duong/hen-gio/" in sitemap.content,
            "search": self.scheduled in list(search.context["page"]),
        }

    def test_hidden_until_the_publish_time(self):
        with time_machine.travel(BEFORE, tick=False):
            shown = self.where_shown()
        self.assertEqual(shown, dict.fromkeys(shown, False))

    def test_shown_from_the_publish_time(self):
        with time_machine.travel(AT, tick=False):
            shown = self.where_shown()
        self.assertEqual(shown, dict.fromkeys(shown, True))

    def test_shown_later_too(self):
        with time_machine.travel(AT + dt.timedelta(days=30), tick=False):
            self.assertTrue(all(self.where_shown().values()))
