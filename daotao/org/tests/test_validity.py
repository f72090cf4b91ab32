"""The one rule for naming a unit in a new record (``org/validity.py``)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from daotao.org.models import Unit
from daotao.org.tests.dissolved import dissolved_district
from daotao.org.validity import check_unit_valid, form_unit_check, offer_not_ended, unit_problem
from daotao.testing import WorldTestCase

D = dt.date


class UnitProblemTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.district, cls.commune = dissolved_district(cls.province)

    def test_a_day_after_the_end_is_refused_with_the_unit_the_end_and_the_successors(self):
        problem = unit_problem(self.district, D(2025, 7, 1))
        self.assertIn("Huyện Cũ (H09)", problem)
        self.assertIn("30/06/2025", problem)
        self.assertIn("01/07/2025", problem)  # the day asked
        self.assertIn("Xã Mới Hợp", problem)  # its successor
        self.assertIsNone(unit_problem(self.district, D(2025, 6, 30)))  # its last day
        self.assertIsNone(unit_problem(self.district, D(2019, 1, 1)))

    def test_a_year_is_refused_only_when_the_unit_exists_on_no_day_of_it(self):
        self.assertIsNone(unit_problem(self.district, 2025))
        problem = unit_problem(self.district, 2026)
        self.assertIn("2026", problem)
        self.assertIn("30/06/2025", problem)
        self.assertIsNone(unit_problem(self.commune, 2025))
        self.assertIn("01/07/2025", unit_problem(self.commune, 2024))

    def test_a_unit_not_yet_created_is_refused_before_its_first_day(self):
        problem = unit_problem(self.commune, D(2025, 6, 30))
        self.assertIn("Xã Mới Hợp", problem)
        self.assertIn("01/07/2025", problem)
        self.assertIsNone(unit_problem(self.commune, D(2025, 7, 1)))

    def test_units_without_dates_and_missing_values_pass(self):
        self.assertIsNone(unit_problem(self.h01, D(1990, 1, 1)))
        self.assertIsNone(unit_problem(self.h01, 2100))
        self.assertIsNone(unit_problem(None, 2026))
        self.assertIsNone(unit_problem(self.district, None))

    def test_successors_are_read_once_per_unit(self):
        unit = Unit.objects.get(pk=self.district.pk)
        with self.assertNumQueries(1):
            unit_problem(unit, 2026)
            unit_problem(unit, 2027)

    def test_check_raises_on_the_field(self):
        with self.assertRaises(ValidationError) as caught:
            check_unit_valid(self.district, 2026, "locality")
        self.assertEqual(list(caught.exception.message_dict), ["locality"])
        with self.assertRaises(ValidationError) as caught:
            check_unit_valid(self.district, 2026)
        self.assertIn("Huyện Cũ", caught.exception.messages[0])
        check_unit_valid(self.district, 2025, "locality")


class _Form(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none())
    year = forms.IntegerField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("code")
        offer_not_ended(self.fields["unit"], D(2026, 1, 1))

    def clean(self):
        cleaned = super().clean()
        form_unit_check(self, "unit", cleaned.get("year"), dated_by=("year",))
        return cleaned


class FormHelperTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.district, cls.commune = dissolved_district(cls.province)

    def test_the_menu_leaves_out_ended_units_but_the_field_names_the_reason(self):
        form = _Form()
        offered = [value for value, _label in form.fields["unit"].widget.choices if value]
        self.assertIn(self.commune.pk, [int(str(v)) for v in offered])
        self.assertNotIn(self.district.pk, [int(str(v)) for v in offered])
        self.assertNotIn("Huyện Cũ", form.as_p())
        form = _Form({"unit": self.district.pk, "year": 2026})
        self.assertFalse(form.is_valid())
        self.assertIn("30/06/2025", form.errors["unit"][0])
        self.assertTrue(_Form({"unit": self.district.pk, "year": 2025}).is_valid())
