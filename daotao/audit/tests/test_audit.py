"""The audit trail: what ``record`` keeps, ``snapshot`` and ``history``, and the read-only admin."""

from __future__ import annotations

import datetime as dt
import decimal

from django.contrib.admin.sites import site
from django.test import RequestFactory

from daotao.audit.models import AuditEntry, _plain, history, record, snapshot
from daotao.org.models import Unit
from daotao.testing import WorldTestCase, make_cohort


class AuditTests(WorldTestCase):
    def test_only_changed_fields_are_kept(self):
        entry = record(self.office, self.h01, "unit.edit", {"name": "A", "code": "H01"}, {"name": "B", "code": "H01"})
        self.assertEqual(entry.changes, {"name": ["A", "B"]})
        self.assertEqual((entry.user, entry.username, entry.object_id), (self.office, "office", str(self.h01.pk)))
        self.assertEqual(entry.object_repr, str(self.h01))

    def test_an_entry_names_its_moment_in_the_schools_time(self):
        """It once wrote the stored UTC time without saying so (07:30 for 14:30 at the
        school); a moment is written in the school's time zone, as on every page."""
        entry = record(self.office, self.h01, "unit.check", note="x")
        entry.at = dt.datetime(2026, 3, 5, 7, 30, tzinfo=dt.UTC)
        self.assertTrue(str(entry).startswith("14:30:00 05/03/2026 (GMT+7) office unit.check"), str(entry))

    def test_nothing_changed_no_entry(self):
        self.assertIsNone(record(self.office, self.h01, "unit.edit", {"name": "A"}, {"name": "A"}))
        self.assertIsNone(record(self.office, self.h01, "unit.edit"))
        self.assertFalse(AuditEntry.objects.exists())
        # A note alone is worth an entry; so is a record created (empty before).
        self.assertIsNotNone(record(self.office, self.h01, "unit.check", note="đã rà soát"))
        created = record(self.office, self.h01, "unit.create", {}, {"name": "A"})
        self.assertEqual(created.changes, {"name": [None, "A"]})

    def test_snapshot_serialises_dates_and_foreign_keys(self):
        cohort = make_cohort("TC01-2020", self.programs["TC-LLCT-HC"], self.h01, dt.date(2020, 3, 2))
        values = snapshot(cohort, ["opening_date", "closing_date", "program", "host_locality", "code"])
        self.assertEqual(
            values,
            {
                "opening_date": "2020-03-02",
                "closing_date": None,
                "program": self.programs["TC-LLCT-HC"].pk,
                "host_locality": self.h01.pk,
                "code": "TC01-2020",
            },
        )
        entry = record(self.office, cohort, "cohort.edit", values, {**values, "opening_date": "2020-03-09"})
        entry.refresh_from_db()
        self.assertEqual(entry.changes, {"opening_date": ["2020-03-02", "2020-03-09"]})
        self.assertEqual(_plain(decimal.Decimal("1.50")), "1.50")
        self.assertEqual(_plain(dt.datetime(2026, 1, 2, 3, 4)), "2026-01-02T03:04:00")

    def test_history_newest_first_and_per_record(self):
        first = record(self.office, self.h01, "unit.edit", {"name": "A"}, {"name": "B"})
        second = record(self.board, self.h01, "unit.edit", {"name": "B"}, {"name": "C"})
        record(self.office, self.h02, "unit.edit", {"name": "A"}, {"name": "B"})
        self.assertEqual(list(history(self.h01)), [second, first])
        self.assertEqual(history(Unit.objects.get(pk=self.h02.pk)).count(), 1)

    def test_the_name_survives_the_account(self):
        entry = record(self.nobody, self.h01, "unit.edit", {"name": "A"}, {"name": "B"})
        self.nobody.delete()
        entry.refresh_from_db()
        self.assertEqual((entry.user, entry.username), (None, "nobody"))

    def test_admin_is_read_only_even_for_a_superuser(self):
        entry = record(self.office, self.h01, "unit.edit", {"name": "A"}, {"name": "B"})
        request = RequestFactory().get("/")
        request.user = self.superuser
        admin = site._registry[AuditEntry]
        self.assertFalse(admin.has_add_permission(request))
        self.assertFalse(admin.has_change_permission(request, entry))
        self.assertFalse(admin.has_delete_permission(request, entry))
        self.assertTrue(admin.has_view_permission(request, entry))
        self.client.force_login(self.superuser)
        self.assertEqual(self.client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code, 200)
        self.assertEqual(self.client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code, 403)
        self.assertEqual(self.client.get("/admin/audit/auditentry/add/").status_code, 403)
        self.assertTrue(AuditEntry.objects.filter(pk=entry.pk).exists())
