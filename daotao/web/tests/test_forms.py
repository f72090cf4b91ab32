"""The form pieces every page shares (``daotao.web.forms``): one date-input rule for every
date field of every form, the admin's included, in either language; one year field; a
service's errors put back on the form."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.test import SimpleTestCase
from django.utils import translation

import daotao
from daotao.lib.tests.test_vietnamese import DATE_INPUTS
from daotao.web.forms import VietnameseDateField, YearField, add_service_errors


def _project_forms() -> list[type[forms.BaseForm]]:
    """Every form class the project defines (its modules imported first)."""
    for module in pkgutil.walk_packages(daotao.__path__, "daotao."):
        if not any(part in module.name for part in (".tests", ".migrations", ".management")):
            importlib.import_module(module.name)

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    found = {cls for cls in below(forms.BaseForm) if cls.__module__.startswith("daotao.")}
    return sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))


def _date_fields() -> list[tuple[str, forms.DateField]]:
    """(where, field) for every date field of every form: the project's form classes, and
    the forms the admin builds from each registered model's date fields."""
    fields = [
        (f"{form.__module__}.{form.__qualname__}.{name}", field)
        for form in _project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField)
    ]
    for model, model_admin in admin.site._registry.items():
        for db_field in model._meta.get_fields():
            if type(db_field) is models.DateField and db_field.editable:
                field = model_admin.formfield_for_dbfield(db_field, request=None)
                fields.append((f"admin {model.__name__}.{db_field.name}", field))
    return fields


class DateInputRuleTests(SimpleTestCase):
    def test_every_date_field_reads_dates_by_the_one_rule_in_both_languages(self):
        fields = _date_fields()
        self.assertGreater(len(fields), 20)
        for language in ("vi", "en"):
            for where, field in fields:
                for text, day in DATE_INPUTS:
                    with self.subTest(language=language, field=where, text=text), translation.override(language):
                        if day is None:
                            with self.assertRaises(ValidationError):
                                field.clean(text)
                        else:
                            self.assertEqual(field.clean(text), day)

    def test_the_pages_date_fields_are_the_vietnamese_field(self):
        """Outside the admin (whose calendar widget keeps Django's field, reading the same
        DATE_INPUT_FORMATS) a form's date field is ``VietnameseDateField``."""
        for where, field in _date_fields():
            if not where.startswith("admin ") and ".admin." not in where:
                with self.subTest(field=where):
                    self.assertIsInstance(field, VietnameseDateField)

    def test_a_refused_date_says_how_to_write_it(self):
        with translation.override("vi"), self.assertRaises(ValidationError) as caught:
            VietnameseDateField().clean("25/01/21")
        self.assertEqual(caught.exception.messages, ["Ghi ngày theo dạng dd/mm/yyyy, ví dụ 25/01/2026."])

    def test_a_date_is_shown_as_it_is_typed(self):
        field = VietnameseDateField()
        html = field.widget.render("day", field.prepare_value(dt.date(2026, 3, 5)))
        self.assertIn('value="05/03/2026"', html)
        self.assertIn('placeholder="dd/mm/yyyy"', html)


class YearFieldTests(SimpleTestCase):
    def test_years_from_1950_to_2100(self):
        field = YearField()
        self.assertEqual(field.clean("2026"), 2026)
        for text in ("1949", "2101"):
            with self.subTest(text=text), translation.override("vi"), self.assertRaises(ValidationError) as caught:
                field.clean(text)
            self.assertEqual(caught.exception.messages, ["Năm phải từ 1950 đến 2100."])

    def test_the_input_says_the_range(self):
        field = YearField()
        html = field.widget.render("year", 2026, attrs=field.widget_attrs(field.widget))
        self.assertIn('min="1950"', html)
        self.assertIn('max="2100"', html)


class ServiceErrorsTests(SimpleTestCase):
    class Form(forms.Form):
        title = forms.CharField()

    def test_errors_go_on_their_field_or_above_the_form(self):
        form = self.Form({"title": "x"})
        form.is_valid()
        add_service_errors(form, ValidationError({"title": "Too short.", "elsewhere": "Not here."}))
        self.assertEqual(form.errors["title"], ["Too short."])
        self.assertEqual(form.non_field_errors(), ["Not here."])
        add_service_errors(form, ValidationError(["One.", "Two."]))
        self.assertEqual(form.non_field_errors(), ["Not here.", "One.", "Two."])
