"""Who sees which applications, students and enrollments (``visible_to``)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser

from daotao.accounts.models import User
from daotao.accounts.scope import SYSTEM
from daotao.admissions.models import Application
from daotao.admissions.tests.world import AdmissionsTestCase, make_application
from daotao.cohorts.models import Enrollment
from daotao.people.models import Student
from daotao.testing import make_cohort, make_student


class ScopeTests(AdmissionsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.in_h01 = make_application(cls.tc, cls.h01)
        cls.in_commune = make_application(cls.tc, cls.x01, agency=cls.agency)
        cls.in_h02 = make_application(cls.tc, cls.h02, agency=cls.other_agency)
        cls.in_h03 = make_application(cls.cvc, cls.h03, agency=cls.agency)

    def visible(self, user) -> set[int]:
        return set(Application.objects.visible_to(user).values_list("pk", flat=True))

    def test_school_wide_roles_see_everything(self):
        every = {self.in_h01.pk, self.in_commune.pk, self.in_h02.pk, self.in_h03.pk}
        for user in (self.office, self.board, self.superuser, SYSTEM):
            with self.subTest(str(user)):
                self.assertEqual(self.visible(user), every)

    def test_coordinator_sees_their_locality_and_below(self):
        self.assertEqual(self.visible(self.coordinator), {self.in_h01.pk, self.in_commune.pk})
        self.assertEqual(self.visible(self.other_coordinator), {self.in_h02.pk})

    def test_agency_sees_its_own_staff(self):
        self.assertEqual(self.visible(self.agency_user), {self.in_commune.pk, self.in_h03.pk})

    def test_nobody_sees_nothing(self):
        inactive = User.objects.get(pk=self.coordinator.pk)
        inactive.is_active = False
        for user in (self.unscoped, self.nobody, AnonymousUser(), None, inactive):
            with self.subTest(str(user)):
                self.assertEqual(self.visible(user), set())

    def test_agency_sees_only_its_own_students_and_enrollments(self):
        own = make_student("Lê Thị Hoa", self.h01, agency=self.agency, gender="female")
        other = make_student("Phạm Văn Nam", self.h01, agency=self.other_agency)
        unsent = make_student("Đỗ Văn Tư", self.h01)
        cohort = make_cohort("TC01-2026", self.tc, self.h01, dt.date(2026, 3, 2))
        enrollments = {s: Enrollment.objects.create(cohort=cohort, student=s) for s in (own, other, unsent)}
        self.assertEqual(list(Student.objects.visible_to(self.agency_user)), [own])
        self.assertEqual(list(Enrollment.objects.visible_to(self.agency_user)), [enrollments[own]])
        # The coordinator of the host locality sees all three.
        self.assertEqual(Enrollment.objects.visible_to(self.coordinator).count(), 3)
