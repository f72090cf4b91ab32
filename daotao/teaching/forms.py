from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from daotao.org.models import Lecturer, Unit
from daotao.programs.models import Module
from daotao.teaching.models import (
    ActiveMethod,
    CommitteeRole,
    CommitteeSide,
    FieldTrip,
    LessonKind,
    ObservationRating,
    OfficerRole,
    Place,
    Room,
    Session,
)
from daotao.web.forms import RecordDateField, VietnameseDateField


def _lecturers():
    return Lecturer.objects.filter(is_active=True).select_related("faculty").order_by("sort_key", "pk")


class LessonForm(forms.Form):
    date = VietnameseDateField(label=_("Date"))
    session = forms.ChoiceField(label=_("Session"), choices=Session.choices)
    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.none())
    lecturer = forms.ModelChoiceField(label=_("Lecturer"), queryset=Lecturer.objects.none())
    periods = forms.IntegerField(label=_("Periods"), min_value=1, max_value=10, initial=5)
    kind = forms.ChoiceField(label=_("Kind"), choices=LessonKind.choices, initial=LessonKind.LECTURE, required=False)
    place = forms.ChoiceField(label=_("Place"), choices=Place.choices)
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    venue = forms.CharField(label=_("Venue"), required=False, max_length=255)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=255)

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(program=cohort.program_id).order_by("order", "code")
        self.fields["lecturer"].queryset = (
            Lecturer.objects.filter(assignments__cohort=cohort).distinct().order_by("sort_key", "pk")
        )
        self.fields["room"].queryset = rooms()

    def clean_kind(self):
        return self.cleaned_data.get("kind") or LessonKind.LECTURE


def rooms():
    """The rooms in use, the school's first, then each centre's."""
    return (
        Room.objects.active().select_related("centre").order_by(models.F("centre__name").asc(nulls_first=True), "name")
    )


class LectureLogForm(forms.Form):
    methods = forms.MultipleChoiceField(
        label=_("Methods used"), choices=ActiveMethod.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    content = forms.CharField(label=_("Content taught"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ObservationForm(forms.Form):
    observer = forms.ModelChoiceField(label=_("Observer"), queryset=Lecturer.objects.none())
    rating = forms.ChoiceField(label=_("Rating"), choices=ObservationRating.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, lesson, observer=None, **kwargs):
        """``observer``: the lecturer observing, fixed; else the training office chooses."""
        super().__init__(*args, **kwargs)
        if observer is not None:
            del self.fields["observer"]
        else:
            self.fields["observer"].queryset = _lecturers().exclude(pk=lesson.lecturer_id)


class PeriodForm(forms.Form):
    start = VietnameseDateField(label=_("From"))
    end = VietnameseDateField(label=_("To"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end date cannot be before the start date."))
        return data


class HomeroomForm(forms.Form):
    lecturer = forms.ModelChoiceField(label=_("Homeroom lecturer"), queryset=Lecturer.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lecturer"].queryset = _lecturers()


class AssignmentForm(forms.Form):
    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.none())
    lecturer = forms.ModelChoiceField(label=_("Lecturer"), queryset=Lecturer.objects.none())

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(program=cohort.program_id).order_by("order", "code")
        self.fields["lecturer"].queryset = _lecturers()


class OfficerForm(forms.Form):
    enrollment = forms.ModelChoiceField(label=_("Student"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=OfficerRole.choices)

    def __init__(self, *args, enrollments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"].queryset = enrollments
        self.fields["enrollment"].label_from_instance = lambda enrollment: enrollment.student.full_name


class CommitteeMemberForm(forms.Form):
    side = forms.ChoiceField(label=_("From"), choices=CommitteeSide.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=128, required=False)
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=CommitteeRole.choices, initial=CommitteeRole.MEMBER)
    lecturer = forms.ModelChoiceField(
        label=_("Lecturer"),
        queryset=Lecturer.objects.none(),
        required=False,
        help_text=_("For a member from the school who is a lecturer; the name is then taken from the record."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lecturer"].queryset = _lecturers()

    def clean(self):
        data = super().clean()
        if not data.get("full_name") and not data.get("lecturer"):
            self.add_error("full_name", _("Write the member's full name or choose a lecturer."))
        return data


class FieldTripForm(forms.Form):
    locality = forms.ModelChoiceField(label=_("Locality visited"), queryset=Unit.objects.none())
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    start_date = VietnameseDateField(label=_("Start date"))
    end_date = VietnameseDateField(label=_("End date"))
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics from the local-issue bank"),
        queryset=None,  # set per user
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    report = forms.FileField(label=_("Report file"), required=False, help_text=_("PDF, Word or OpenDocument."))
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = Unit.objects.localities().order_by("path")
        # The bank of local issues (essays.LocalIssue: the essays app sits above teaching),
        # reached through the trip's own relation to it.
        bank = FieldTrip._meta.get_field("topics").related_model
        self.fields["topics"].queryset = bank.objects.visible_to(user).select_related("locality")
        self.fields["topics"].label_from_instance = lambda issue: f"{issue.title} ({issue.locality.name})"


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class TimetableOptionsForm(forms.Form):
    """The choices a timetable is laid out from (``timetable.lay_out``)."""

    start = RecordDateField(label=_("Start date"))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Teaching days"), coerce=int, choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )
    sessions = forms.MultipleChoiceField(
        label=_("Half days"), choices=Session.choices, widget=forms.CheckboxSelectMultiple
    )
    periods_per_lesson = forms.IntegerField(label=_("Periods per lesson"), min_value=1, max_value=10, initial=5)
    place = forms.ChoiceField(label=_("Place"), choices=Place.choices)
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    venue = forms.CharField(label=_("Venue, when no room is chosen"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms()


class ModulePlanForm(forms.Form):
    """A module of the program in the timetable: in or out, its place in the order, its
    lecturers (who teach its lessons in turn)."""

    module = forms.IntegerField(widget=forms.HiddenInput)
    include = forms.BooleanField(label=_("In the timetable"), required=False)
    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=999)
    lecturers = forms.TypedMultipleChoiceField(
        label=_("Lecturers"),
        coerce=int,
        choices=(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )

    def __init__(self, *args, lecturer_choices=(), **kwargs):
        """``lecturer_choices``: (id, name) of the lecturers, read once for every row."""
        super().__init__(*args, **kwargs)
        self.fields["lecturers"].choices = lecturer_choices

    def clean(self):
        data = super().clean()
        if data.get("include") and not data.get("lecturers"):
            self.add_error("lecturers", _("Choose at least one lecturer for this module."))
        return data


class PlannedLessonForm(forms.Form):
    """A lesson of a timetable not saved yet, as the office edits it before saving."""

    module = forms.IntegerField(widget=forms.HiddenInput)
    lecturer = forms.TypedChoiceField(label=_("Lecturer"), coerce=int, choices=())
    date = RecordDateField(label=_("Date"))
    session = forms.ChoiceField(label=_("Session"), choices=Session.choices)
    periods = forms.IntegerField(label=_("Periods"), min_value=1, max_value=10)

    def __init__(self, *args, lecturer_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lecturer"].choices = lecturer_choices


# A timetable of at most this many lessons is laid out and saved at once (a Cao cấp
# program has fewer than 300).
MAX_PLANNED_LESSONS = 600
ModulePlanFormSet = forms.formset_factory(ModulePlanForm, extra=0, max_num=200, validate_max=True)
PlannedLessonFormSet = forms.formset_factory(
    PlannedLessonForm, extra=0, max_num=MAX_PLANNED_LESSONS, validate_max=True, absolute_max=MAX_PLANNED_LESSONS
)
