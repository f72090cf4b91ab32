"""The post time of an article, written in one place: ``16:42:37 25/01/2021 (GMT+7)``."""

import datetime as dt

from django.template import Context, Template
from django.test import SimpleTestCase

from daotao.web.templatetags.vn import vn_datetime, vn_int


class PostTimeTests(SimpleTestCase):
    def test_utc_is_shown_in_hanoi_time(self):
        self.assertEqual(vn_datetime(dt.datetime(2021, 1, 25, 9, 42, 37, tzinfo=dt.UTC)), "16:42:37 25/01/2021 (GMT+7)")

    def test_a_utc_evening_is_the_next_local_day(self):
        self.assertEqual(vn_datetime(dt.datetime(2025, 12, 31, 17, 0, 5, tzinfo=dt.UTC)), "00:00:05 01/01/2026 (GMT+7)")

    def test_other_time_zones_too(self):
        tokyo = dt.timezone(dt.timedelta(hours=9))
        self.assertEqual(vn_datetime(dt.datetime(2021, 1, 25, 18, 42, 37, tzinfo=tokyo)), "16:42:37 25/01/2021 (GMT+7)")

    def test_no_time_is_empty(self):
        self.assertEqual(vn_datetime(None), "")

    def test_the_detail_line_in_vietnamese(self):
        template = Template(
            "{% load i18n vn %}"
            "{% blocktranslate with time=moment|vn_datetime %}Posted at: {{ time }}{% endblocktranslate %}"
        )
        moment = dt.datetime(2021, 1, 25, 9, 42, 37, tzinfo=dt.UTC)
        self.assertEqual(template.render(Context({"moment": moment})), "Đăng lúc: 16:42:37 25/01/2021 (GMT+7)")

    def test_view_counts_group_thousands(self):
        self.assertEqual(vn_int(4419761), "4.419.761")
        self.assertEqual(vn_int(607), "607")
