"""Nominations name a locality (and a sending agency) that exists on some day of the plan
year, and a class opened from the admitted candidates a host that exists on its opening
date (``org/validity.py``): the application form, the nomination import, the placement's
new class and the admin. A nomination of an earlier year stays editable."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from daotao.admissions import services
from daotao.admissions.importing import ImportRejected, import_applications
from daotao.admissions.models import Application, Decision
from daotao.admissions.tests.test_views import NEW, PLACEMENT, candidate
from daotao.admissions.tests.workbooks import nomination, workbook
from daotao.admissions.tests.world import YEAR, AdmissionsTestCase, make_application
from daotao.cohorts.models import Cohort
from daotao.org.models import UnitKind
from daotao.org.tests.dissolved import DISSOLVED_ON, dissolved_district
from daotao.org.validity import unit_problem
from daotao.planning.models import AnnualPlan
from daotao.testing import make_unit

D = dt.date


class DissolvedNominationTestCase(AdmissionsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.district, cls.commune = dissolved_district(cls.province)
        cls.old_agency = make_unit("BQL", "Ban Quản lý cũ", UnitKind.AGENCY, cls.province, valid_to=DISSOLVED_ON)
        cls.plan_2025 = AnnualPlan.objects.create(year=2025)
        cls.old = make_application(cls.tc, cls.district, plan=cls.plan_2025, full_name="Võ Văn Cũ")


class ApplicationFormTests(DissolvedNominationTestCase):
    def setUp(self):
        self.client.force_login(self.office)

    def test_the_form_offers_neither_a_dissolved_locality_nor_agency(self):
        form = self.client.get(NEW).context["form"]
        localities = [str(value) for value, _label in form.fields["locality"].widget.choices]
        agencies = [str(value) for value, _label in form.fields["agency"].widget.choices]
        self.assertIn(str(self.commune.pk), localities)
        self.assertNotIn(str(self.district.pk), localities)
        self.assertIn(str(self.agency.pk), agencies)
        self.assertNotIn(str(self.old_agency.pk), agencies)
        # The old nomination's own district is still offered on its page.
        form = self.client.get(reverse("admissions:edit", args=[self.old.pk])).context["form"]
        self.assertIn(str(self.district.pk), [str(value) for value, _label in form.fields["locality"].widget.choices])

    def test_a_2026_nomination_from_a_dissolved_district_is_refused_with_the_reason(self):
        count = Application.objects.count()
        data = candidate(self.tc, self.district, agency=str(self.old_agency.pk))
        response = self.client.post(NEW, data)
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors
        self.assertEqual(errors["locality"], [unit_problem(self.district, YEAR)])
        self.assertEqual(errors["agency"], [unit_problem(self.old_agency, YEAR)])
        self.assertContains(response, "30/06/2025")
        self.assertEqual(Application.objects.count(), count)
        response = self.client.post(NEW, candidate(self.tc, self.commune))
        self.assertEqual(response.status_code, 302)

    def test_the_2025_nomination_is_still_edited_but_not_moved_to_2026(self):
        url = reverse("admissions:edit", args=[self.old.pk])
        data = candidate(self.tc, self.district, national_id=self.old.national_id, full_name="Võ Văn Cũ")
        data.update(date_of_birth="12/04/1988", plan=str(self.plan_2025.pk), position="Trưởng phòng")
        self.assertRedirects(self.client.post(url, data), reverse("admissions:detail", args=[self.old.pk]))
        self.old.refresh_from_db()
        self.assertEqual(self.old.position, "Trưởng phòng")
        response = self.client.post(url, data | {"plan": str(self.plan.pk)})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["form"].errors["locality"], [unit_problem(self.district, YEAR)])
        self.old.refresh_from_db()
        self.assertEqual(self.old.plan, self.plan_2025)


class ImportTests(DissolvedNominationTestCase):
    def test_a_row_naming_a_dissolved_unit_refuses_the_file(self):
        count = Application.objects.count()
        rows = [
            nomination("Nguyễn Văn An"),
            nomination("Phạm Văn Bảo", **{"Mã địa phương": "H09"}),
            nomination("Lê Văn Cường", **{"Mã cơ quan": "bql"}),
        ]
        with self.assertRaises(ImportRejected) as caught:
            import_applications(workbook(rows), year=YEAR, user=self.office)
        self.assertEqual(Application.objects.count(), count)
        found = {(p.row, p.column.split(" (")[0], p.message) for p in caught.exception.problems}
        self.assertEqual(
            found,
            {
                (3, "Mã địa phương", unit_problem(self.district, YEAR)),
                (4, "Mã cơ quan", unit_problem(self.old_agency, YEAR)),
            },
        )

    def test_the_year_of_the_dissolution_is_accepted(self):
        rows = [nomination("Phạm Văn Bảo", **{"Mã địa phương": "H09"})]
        result = import_applications(workbook(rows), year=2025, user=self.office)
        self.assertEqual(result.created, 1)


class NewClassTests(DissolvedNominationTestCase):
    def test_a_class_opened_in_a_dissolved_district_is_refused_with_the_reason(self):
        services.decide(self.old, self.office, Decision.ADMITTED, "25-QĐ/TCT", D(2025, 2, 20))
        self.client.force_login(self.office)
        url = PLACEMENT + "?year=2025&program=TC-LLCT-HC"
        data = {
            "action": "open", "applications": [self.old.pk], "new-code": "TC-H09-25B", "new-name": "Lớp TC",
            "new-mode": "non_concentrated", "new-funding": "supported", "new-host_locality": self.district.pk,
            "new-venue": "", "new-opening_date": "01/09/2025", "new-plan_year": "2025",
        }  # fmt: skip
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        errors = response.context["new_form"].errors["host_locality"]
        self.assertEqual(errors, [unit_problem(self.district, D(2025, 9, 1))])
        self.assertFalse(Cohort.objects.filter(code="TC-H09-25B").exists())
        self.assertRedirects(self.client.post(url, data | {"new-host_locality": self.commune.pk}), url)


class AdminTests(DissolvedNominationTestCase):
    def test_moving_the_old_nomination_to_2026_is_refused(self):
        self.client.force_login(self.superuser)
        url = reverse("admin:admissions_application_change", args=[self.old.pk])
        form = self.client.get(url).context["adminform"].form
        data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
        data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
        data |= {"date_of_birth": "12/04/1988", "party_joined_on": "19/05/2012", "notes": "Ghi chú"}
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.context and response.context["adminform"].form.errors)
        self.old.refresh_from_db()
        self.assertEqual(self.old.notes, "Ghi chú")
        response = self.client.post(url, data | {"plan": self.plan.pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["adminform"].form.errors["locality"], [unit_problem(self.district, YEAR)])
