"""Editors read the daily visits and set the visits carried over from the previous site."""

import datetime as dt

from django.urls import reverse

from daotao.portal.models import DailyVisits, VisitOffset
from daotao.portal.tests.world import PortalTestCase


class CountersAdminTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        DailyVisits.objects.create(day=dt.date(2026, 3, 2), visits=724)

    def test_editors_read_the_daily_visits_and_cannot_change_them(self):
        self.login(self.editor)
        response = self.client.get(reverse("admin:portal_dailyvisits_changelist"))
        self.assertContains(response, "724")
        self.assertNotContains(response, reverse("admin:portal_dailyvisits_add"))
        row = DailyVisits.objects.get()
        self.assertEqual(self.client.post(reverse("admin:portal_dailyvisits_add"), {}).status_code, 403)
        self.client.post(
            reverse("admin:portal_dailyvisits_change", args=[row.pk]), {"day": "02/03/2026", "visits": "1"}
        )
        row.refresh_from_db()
        self.assertEqual(row.visits, 724)

    def test_an_editor_sets_the_offset_once_and_changes_it(self):
        self.login(self.editor)
        response = self.client.post(
            reverse("admin:portal_visitoffset_add"), {"visits": "4400000", "note": "Trang cũ đến 31/12/2025"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(VisitOffset.current(), 4_400_000)
        # One row only: no second add; changing it is how the figure is corrected.
        self.assertEqual(self.client.get(reverse("admin:portal_visitoffset_add")).status_code, 403)
        self.client.post(reverse("admin:portal_visitoffset_change", args=[1]), {"visits": "4419761", "note": ""})
        self.assertEqual(VisitOffset.current(), 4_419_761)

    def test_other_staff_do_not_reach_the_counters(self):
        for user in (self.office, self.coordinator):
            self.login(user)
            for name in ("admin:portal_dailyvisits_changelist", "admin:portal_visitoffset_changelist"):
                with self.subTest(user=user.username, page=name):
                    # Sent to the admin sign-in (not staff) or refused (staff without the role).
                    self.assertIn(self.client.get(reverse(name)).status_code, (302, 403))
