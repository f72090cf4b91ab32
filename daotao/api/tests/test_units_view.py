"""The locality filter's two views of reorganised units, in the API and the command:
``today`` (the default: the classes of the units taken over count under their successor)
and ``then`` (the host locality recorded on each class)."""

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import translation

from daotao.api.tests.base import ApiTestCase
from daotao.org.models import Succession, UnitKind
from daotao.testing import enroll, make_cohort, make_unit

D = dt.date
URL = "/api/v1/reports/cohort-stats"
YEAR_2024 = {"from": "2024-01-01", "to": "2024-12-31", "relation": "active"}


class UnitsViewTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        district = make_unit("HS", "Huyện Sông", UnitKind.DISTRICT, cls.province, valid_to=D(2025, 6, 30))
        cls.commune = make_unit("XS", "Xã Sông", UnitKind.COMMUNE, cls.province, valid_from=D(2025, 7, 1))
        Succession.objects.create(predecessor=district, successor=cls.commune, effective_date=D(2025, 7, 1))
        enroll(make_cohort("TC-HS", cls.programs["TC-LLCT-HC"], district, D(2024, 3, 4), D(2025, 9, 5)), 6)

    def test_the_api_counts_by_todays_units_unless_asked_otherwise(self):
        today = {"classes": 1, "students": 6}
        self.assertEqual(self.get_json(URL, {**YEAR_2024, "locality": "XS"}, user=self.office), today)
        self.assertEqual(self.get_json(URL, {**YEAR_2024, "locality": "XS", "units": "today"}, user=self.office), today)
        then = self.get_json(URL, {**YEAR_2024, "locality": "XS", "units": "then"}, user=self.office)
        self.assertEqual(then, {"classes": 0, "students": 0})
        response = self.get(URL, {**YEAR_2024, "locality": "XS", "units": "yesterday"}, user=self.office)
        self.assert_bad_input(response, 422, "units")

    def test_the_command_takes_the_view_and_says_which_it_used(self):
        def run(*args):
            out = StringIO()
            call_command("cohort_stats", "--from", "2024-01-01", "--to", "2024-12-31", "--relation", "active",
                         "--locality", "XS", *args, stdout=out)  # fmt: skip
            return out.getvalue().splitlines()

        with translation.override("en"):
            self.assertEqual(run(), ["01 class, 6 students", "Units: by today's units (history mapped to successors)."])
            lines = run("--units", "then")
        self.assertEqual(lines[0], "0 classes, 0 students")
        self.assertIn("as units were then", lines[1])
