"""The finance pages' forms. Amounts are typed in đồng as people write them (``1.250.000``,
``1250000``, ``1 250 000``); anything else is refused with a Vietnamese message."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from daotao.finance.models import MAX_AMOUNT, CostItem, FundingSource
from daotao.lib.vietnamese import format_int
from daotao.web.forms import RecordDateField

_GROUPED = re.compile(r"\d{1,3}(?:[. ]\d{3})+|\d+")


class MoneyField(forms.Field):
    """Whole đồng, grouped by dots or spaces or not at all, from 0 to ``MAX_AMOUNT``."""

    default_error_messages = {
        "invalid": _("Enter an amount in whole đồng, e.g. 1.250.000."),
        "too_large": _("The amount is too large (at most %(max)s đồng)."),
    }

    def __init__(self, *, maximum: int = MAX_AMOUNT, **kwargs):
        self.maximum = maximum
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "class": "money"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        text = str(value).strip().removesuffix("đ").removesuffix("đồng").strip()
        if len(text) > 32 or not _GROUPED.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        amount = int(re.sub(r"[. ]", "", text))
        if amount > self.maximum:
            raise ValidationError(
                self.error_messages["too_large"], code="too_large", params={"max": format_int(self.maximum)}
            )
        return amount

    def prepare_value(self, value):
        return format_int(value) if isinstance(value, int) else value


class BudgetForm(forms.Form):
    source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    pay_rate = MoneyField(label=_("Pay per standard hour (đồng)"), maximum=10_000_000)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item, label in CostItem.choices:
            self.fields[f"planned_{item}"] = MoneyField(label=label, required=False)
            if item != CostItem.TEACHING:
                self.fields[f"settled_{item}"] = MoneyField(label=label, required=False)

    def rows(self):
        """(label, planned field, settled field or None) per cost item, for the template."""
        return [
            (label, self[f"planned_{item}"], self[f"settled_{item}"] if item != CostItem.TEACHING else None)
            for item, label in CostItem.choices
        ]

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "source": data["source"],
            "pay_rate": data["pay_rate"],
            "notes": data["notes"],
            "planned": {item: data.get(f"planned_{item}") or 0 for item in CostItem.values},
            "settled": {item: data.get(f"settled_{item}") for item in CostItem.values if item != CostItem.TEACHING},
        }


class SettleForm(forms.Form):
    settled_on = RecordDateField(label=_("Settled on"))


class FeeForm(forms.Form):
    amount = MoneyField(label=_("Fee per student (đồng)"))
    bars_exam = forms.BooleanField(label=_("A student who has not paid in full sits no exam"), required=False)


class PaymentForm(forms.Form):
    enrollment = forms.ModelChoiceField(label=_("Student"), queryset=None)
    amount = MoneyField(label=_("Amount (đồng)"))
    paid_on = RecordDateField(label=_("Paid on"))

    def __init__(self, *args, enrollments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"].queryset = enrollments
        self.fields["enrollment"].label_from_instance = lambda enrollment: enrollment.student.full_name


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=255)
