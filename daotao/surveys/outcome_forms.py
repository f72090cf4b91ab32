"""The forms of the career-outcome pages."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from daotao.cohorts.access import recordable_students
from daotao.programs.models import Program
from daotao.surveys.models import CareerEventKind
from daotao.web.forms import VietnameseDateField, YearField


class CareerEventForm(forms.Form):
    """One career event; the student is found by national ID among those the user may
    record for (``cleaned_data["student"]``)."""

    national_id = forms.CharField(label=_("National ID"), max_length=20)
    kind = forms.ChoiceField(label=_("Kind"), choices=CareerEventKind.choices)
    date = VietnameseDateField(label=_("Decision date"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=64)
    description = forms.CharField(
        label=_("Content"),
        max_length=500,
        required=False,
        help_text=_("The new position, the reward, or the measure."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_national_id(self):
        number = re.sub(r"\s+", "", self.cleaned_data["national_id"])
        if not re.fullmatch(r"\d{12}", number):
            raise forms.ValidationError(_("A national ID has 12 digits."))
        student = recordable_students(self.user).filter(national_id=number).first()
        if student is None:
            raise forms.ValidationError(_("There is no student with this national ID among those you may record for."))
        self.cleaned_data["student"] = student
        return number


class OutcomeImportForm(forms.Form):
    workbook = forms.FileField(label=_("Workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check the file; write nothing"), required=False)


class OutcomeReportForm(forms.Form):
    year = YearField(label=_("Year of graduation"))
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.order_by("code"), required=False, empty_label=_("All programs")
    )
