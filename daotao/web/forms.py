"""Form pieces every page shares: the Vietnamese date field, the year field, and a
service's errors put back on its form.

A date is typed ``dd/mm/yyyy`` (``d/m/yyyy`` and ISO ``yyyy-mm-dd`` are accepted too, a
two-digit year is not) whatever language the page is shown in: ``lib.vietnamese.parse_date``
is the one rule, and the format modules give Django's own date fields (the admin's) the
same patterns (``DATE_INPUT_FORMATS``).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daotao.lib.dates import MAX_YEAR, MIN_YEAR, is_year
from daotao.lib.vietnamese import format_date, parse_date


class DateInput(forms.DateInput):
    """A text box for ``dd/mm/yyyy``, showing a date the same way."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})})

    def format_value(self, value):
        return format_date(value) if hasattr(value, "year") else value


class VietnameseDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (``parse_date``)."""

    widget = DateInput
    default_error_messages = {"invalid": gettext_lazy("Write the date as dd/mm/yyyy, e.g. 25/01/2026.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return format_date(value) if hasattr(value, "year") else value


def validate_year(year: int) -> None:
    """A year the school's records may name (``MIN_YEAR`` to ``MAX_YEAR``)."""
    if not is_year(year):
        raise ValidationError(
            _("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}, code="year"
        )


def validate_date_year(day: dt.date) -> None:
    """A day of the school's records (a lesson, a payment): in a year ``validate_year`` takes."""
    validate_year(day.year)


class RecordDateField(VietnameseDateField):
    """A day of the school's records, dd/mm/yyyy, in a year from ``MIN_YEAR`` to ``MAX_YEAR``
    (not a date of birth, which may be earlier)."""

    default_validators = [validate_date_year]


class YearField(forms.IntegerField):
    """A year from ``MIN_YEAR`` to ``MAX_YEAR`` (``validate_year``)."""

    default_validators = [validate_year]
    default_error_messages = {"invalid": gettext_lazy("Enter a year, e.g. 2026.")}

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        # A model field's own bounds (0 to 32767) say less than the years' range.
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.NumberInput):
            attrs.update(min=MIN_YEAR, max=MAX_YEAR)
        return attrs


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: on the field when the form has it,
    else above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        for message in error.messages:
            form.add_error(None, message)
