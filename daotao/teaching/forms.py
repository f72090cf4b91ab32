from django import forms
from django.utils.translation import gettext_lazy as _

from daotao.lib.vietnamese import parse_date
from daotao.org.models import Lecturer
from daotao.programs.models import Module
from daotao.teaching.models import ActiveMethod, Place, Session


class VietnameseDateField(forms.DateField):
    """A date typed as dd/mm/yyyy."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return value
        try:
            return parse_date(str(value))
        except ValueError:
            raise forms.ValidationError(_("Write the date as dd/mm/yyyy, e.g. 25/01/2026."), code="invalid") from None


class LessonForm(forms.Form):
    date = VietnameseDateField(label=_("Date"))
    session = forms.ChoiceField(label=_("Session"), choices=Session.choices)
    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.none())
    lecturer = forms.ModelChoiceField(label=_("Lecturer"), queryset=Lecturer.objects.none())
    periods = forms.IntegerField(label=_("Periods"), min_value=1, max_value=10, initial=5)
    place = forms.ChoiceField(label=_("Place"), choices=Place.choices)
    venue = forms.CharField(label=_("Venue"), required=False, max_length=255)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=255)

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(program=cohort.program_id)
        self.fields["lecturer"].queryset = Lecturer.objects.filter(assignments__cohort=cohort).distinct()


class LectureLogForm(forms.Form):
    methods = forms.MultipleChoiceField(
        label=_("Methods used"), choices=ActiveMethod.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    content = forms.CharField(label=_("Content taught"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PeriodForm(forms.Form):
    start = VietnameseDateField(label=_("From"))
    end = VietnameseDateField(label=_("To"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end date cannot be before the start date."))
        return data
