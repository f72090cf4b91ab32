from django import forms
from django.utils.translation import gettext_lazy as _

from daotao.programs.models import Assessment
from daotao.teaching.models import Room, Session
from daotao.web.forms import VietnameseDateField


class ExamForm(forms.Form):
    date = VietnameseDateField(label=_("Date"))
    session = forms.ChoiceField(label=_("Session"), choices=Session.choices)
    anonymised = forms.BooleanField(
        label=_("Anonymised marking (written exam)"), required=False, help_text=_("Scripts marked under codes.")
    )


class ExamCreateForm(ExamForm):
    assessment = forms.ModelChoiceField(label=_("Exam"), queryset=Assessment.objects.none())
    attempt = forms.TypedChoiceField(
        label=_("Attempt"), choices=[(1, _("First sitting")), (2, _("Retake"))], coerce=int, initial=1
    )
    field_order = ["assessment", "attempt", "date", "session", "anonymised"]

    def __init__(self, *args, cohort, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("anonymised", True)
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = (
            Assessment.objects.filter(module__program=cohort.program_id, is_exam=True)
            .select_related("module")
            .order_by("module__order", "module__code")
        )
        self.fields["assessment"].label_from_instance = lambda a: f"{a.module.code} – {a.module.name}: {a.name}"


class RoomForm(forms.Form):
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.active().select_related("centre")
        self.fields["room"].label_from_instance = lambda room: f"{room} ({room.capacity})"
