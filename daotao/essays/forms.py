"""Forms of the essay pages. Rules live in the services; a service's ``ValidationError``
is put back on the form (``web.forms.add_service_errors``) so the page re-displays with it."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from daotao.essays.models import LocalIssue, LocalIssueStatus
from daotao.lib.vietnamese import SEARCH_MAX_LENGTH, format_file_size
from daotao.org.models import Lecturer, Unit
from daotao.org.validity import offer_not_ended
from daotao.web.forms import YearField
from daotao.web.uploads import upload_limit


class IssueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_MAX_LENGTH)
    locality = forms.ModelChoiceField(label=_("Locality"), queryset=Unit.objects.none(), required=False)
    year = YearField(label=_("Year"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *LocalIssueStatus.choices], required=False)

    def __init__(self, *args, localities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = localities


class ProposeForm(forms.Form):
    locality = forms.ModelChoiceField(label=_("Locality"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    year = YearField(label=_("Year"))

    def __init__(self, *args, localities, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = localities
        # Localities that have ended are not offered; the service refuses them with the reason.
        offer_not_ended(self.fields["locality"], timezone.localdate())


class TopicForm(forms.Form):
    local_issue = forms.ModelChoiceField(
        label=_("Topic from the bank"), queryset=LocalIssue.objects.none(), required=False
    )
    title = forms.CharField(label=_("Or your own topic"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_issue"].queryset = (
            LocalIssue.objects.filter(status=LocalIssueStatus.APPROVED)
            .select_related("locality")
            .order_by("locality__sort_key", "title")
        )
        self.fields["local_issue"].label_from_instance = lambda issue: f"{issue.title} ({issue.locality.name})"

    def clean(self):
        data = super().clean()
        if data.get("local_issue") and data.get("title"):
            raise forms.ValidationError(_("Choose a topic from the bank or write your own, not both."))
        return data


class SubmitForm(forms.Form):
    text = forms.CharField(
        label=_("Essay text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        max_length=400_000,
        help_text=_(
            "Paste the full text, or attach the file: the text and the file's text are compared with the essays "
            "of earlier classes."
        ),
    )
    file = forms.FileField(label=_("Essay file"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = format_file_size(upload_limit("DAOTAO_MAX_ESSAY_BYTES"))
        self.fields["file"].help_text = _("PDF, Word or OpenDocument, at most %(limit)s.") % {"limit": limit}


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve the topic")), ("reject", _("Reject the topic"))]
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


def _lecturers():
    return Lecturer.objects.filter(is_active=True).select_related("faculty").order_by("sort_key", "pk")


class LecturerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, lecturer):
        return f"{lecturer.full_name} ({lecturer.faculty.name})"


class AssignForm(forms.Form):
    supervisor = LecturerChoiceField(label=_("Supervisor"), queryset=Lecturer.objects.none())
    first_grader = LecturerChoiceField(label=_("First grader"), queryset=Lecturer.objects.none())
    second_grader = LecturerChoiceField(label=_("Second grader"), queryset=Lecturer.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lecturers = _lecturers()
        for name in ("supervisor", "first_grader", "second_grader"):
            self.fields[name].queryset = lecturers


class GradeForm(forms.Form):
    """A mark as typed ("7,5"); the service parses it by the program's rules. The office
    picks which grader's mark it enters."""

    grader = forms.ChoiceField(label=_("Grader"))
    score = forms.CharField(label=_("Mark"), max_length=8)

    def __init__(self, *args, graders, **kwargs):
        super().__init__(*args, **kwargs)
        self.graders = {str(grader.pk): grader for grader in graders}
        self.fields["grader"].choices = [(key, grader.full_name) for key, grader in self.graders.items()]
        if len(self.graders) == 1:
            self.fields["grader"].widget = forms.HiddenInput()
            self.fields["grader"].initial = next(iter(self.graders))

    def clean_grader(self):
        return self.graders[self.cleaned_data["grader"]]


class ReconcileForm(forms.Form):
    score = forms.CharField(label=_("Reconciled score"), max_length=8)
