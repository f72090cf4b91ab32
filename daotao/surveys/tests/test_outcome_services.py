"""Recording and deleting career events: scope per role, validation, audit trail.

``OutcomeWorld`` is the world the other outcome tests build on."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from daotao.accounts import roles
from daotao.audit.models import AuditEntry
from daotao.org.models import UnitKind
from daotao.surveys.models import CareerEvent, CareerEventKind
from daotao.surveys.outcomes import career_event_delete, career_event_record
from daotao.testing import WorldTestCase, make_lecturer, make_student, make_unit, make_user


class OutcomeWorld(WorldTestCase):
    """The world plus a sending agency with its account ``agency_user``, a lecturer
    account, and students: ``local`` (H01), ``commune`` (X0101, below H01), ``other``
    (H02) and ``staff`` (of the agency, from H03)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.agency = make_unit("CQ01", "Sở Nội vụ", UnitKind.AGENCY, cls.province)
        cls.agency_user = make_user("agency1", roles.SENDING_AGENCY, cls.agency)
        faculty = make_unit("K-XDD", "Khoa Xây dựng Đảng", UnitKind.FACULTY, cls.school)
        cls.lecturer_user = make_lecturer("Trần Văn Giảng", faculty, "gv1").user
        cls.local = make_student("Nguyễn Văn An", cls.h01)
        cls.commune = make_student("Lê Thị Bình", cls.x01, gender="female")
        cls.other = make_student("Phạm Văn Cường", cls.h02)
        cls.staff = make_student("Hoàng Thị Dung", cls.h03, agency=cls.agency, gender="female")

    def record(self, user=None, student=None, **values):
        fields = {
            "kind": CareerEventKind.APPOINTMENT,
            "date": dt.date(2025, 3, 1),
            "decision_number": "12/QĐ-UBND",
            "description": "Phó Trưởng phòng Nội vụ",
        }
        fields.update(values)
        return career_event_record(user=user or self.office, student=student or self.local, **fields)


class RecordTests(OutcomeWorld):
    def test_the_office_records_an_event_with_an_audit_entry(self):
        event = self.record(decision_number="  12/QĐ-UBND ")
        self.assertEqual(event.decision_number, "12/QĐ-UBND")
        self.assertEqual(event.recorded_by, self.office)
        entry = AuditEntry.objects.get(action="career_event", object_id=str(event.pk))
        self.assertEqual(entry.user, self.office)
        self.assertEqual(entry.changes["decision_number"], [None, "12/QĐ-UBND"])
        self.assertEqual(entry.changes["date"], [None, "2025-03-01"])

    def test_the_same_decision_twice_is_refused(self):
        self.record()
        with self.assertRaises(ValidationError):
            self.record(description="again")
        self.assertEqual(CareerEvent.objects.count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action="career_event").count(), 1)
        # The same decision number of another kind is another event.
        self.record(kind=CareerEventKind.REWARD)
        self.assertEqual(CareerEvent.objects.count(), 2)

    def test_bad_values_are_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.record(kind="dismissal", decision_number="")
        self.assertIn("kind", caught.exception.message_dict)
        self.assertIn("decision_number", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            self.record(description="x" * 501)
        self.assertFalse(CareerEvent.objects.exists())
        self.assertFalse(AuditEntry.objects.exists())

    def test_a_coordinator_records_for_the_students_of_its_locality(self):
        self.record(self.coordinator, self.local)
        self.record(self.coordinator, self.commune)
        with self.assertRaises(PermissionDenied):
            self.record(self.coordinator, self.other)
        with self.assertRaises(PermissionDenied):
            self.record(self.other_coordinator, self.local, decision_number="13/QĐ")
        self.assertEqual(CareerEvent.objects.count(), 2)

    def test_an_agency_records_for_its_own_staff(self):
        self.record(self.agency_user, self.staff)
        with self.assertRaises(PermissionDenied):
            self.record(self.agency_user, self.local)

    def test_read_only_and_other_roles_may_not_record(self):
        for user in (self.board, self.lecturer_user, self.unscoped, self.nobody):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.record(user)
        self.assertFalse(CareerEvent.objects.exists())


class DeleteTests(OutcomeWorld):
    def test_delete_is_audited(self):
        event = self.record(self.coordinator)
        pk = event.pk
        career_event_delete(user=self.coordinator, event=event)
        self.assertFalse(CareerEvent.objects.filter(pk=pk).exists())
        entry = AuditEntry.objects.get(action="career_event.delete", object_id=str(pk))
        self.assertEqual(entry.user, self.coordinator)
        self.assertEqual(entry.changes["decision_number"], ["12/QĐ-UBND", None])

    def test_outside_the_scope_nothing_is_deleted(self):
        event = self.record()
        for user in (self.other_coordinator, self.agency_user, self.board):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                career_event_delete(user=user, event=event)
        self.assertTrue(CareerEvent.objects.filter(pk=event.pk).exists())
        self.assertFalse(AuditEntry.objects.filter(action="career_event.delete").exists())
