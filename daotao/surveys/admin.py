"""The training office builds questionnaires and rounds here.

A questionnaire's questions belong to a version; a version used by a round is frozen and
shown read-only (the action "New editable version" copies it). A new round freezes its
version (``services.round_create``); once created, only its title, dates and reminder
settings change. Answers are never shown here: results have their own pages, which keep
anonymous answers apart from people."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from daotao.lib.vietnamese import format_int
from daotao.people.admin_search import FoldedSearchMixin
from daotao.surveys import mailing, services
from daotao.surveys.models import (
    CareerEvent,
    EvaluationRules,
    Invitation,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Section,
    SurveyRound,
)
from daotao.web.adminutils import (
    BoundedSearchMixin,
    LoadedInlineFormSet,
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    UsersByNameMixin,
)


@admin.register(EvaluationRules)
class EvaluationRulesAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "scale_min", "scale_max", "max_blank_percent", "min_answers"]


class VersionInline(admin.TabularInline):
    model = QuestionnaireVersion
    fields = ["number", "frozen", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Questionnaire)
class QuestionnaireAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["title", "created_at"]
    search_fields = ["title"]
    inlines = [VersionInline]
    actions = ["new_version"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.version_draft(questionnaire=obj)

    @admin.action(description=_("New editable version (copy of the latest)"))
    def new_version(self, request, queryset):
        for questionnaire in queryset:
            version = services.version_draft(questionnaire=questionnaire)
            self.message_user(request, gettext("%(version)s can be edited.") % {"version": version})


class ChoicesField(forms.CharField):
    """The choices of a question, one per line."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class QuestionForm(forms.ModelForm):
    choices = ChoicesField(label=_("choices"), required=False, help_text=_("One choice per line."))

    class Meta:
        model = Question
        fields = ["section", "order", "text", "kind", "required", "scale_min", "scale_max", "choices"]


class FrozenInlineMixin:
    """Rows of a frozen version cannot be added, changed or deleted."""

    def _editable(self, obj) -> bool:
        return obj is None or not obj.frozen

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class SectionInline(FrozenInlineMixin, admin.TabularInline):
    model = Section
    fields = ["order", "title"]
    extra = 0


class QuestionInline(FrozenInlineMixin, admin.StackedInline):
    model = Question
    form = QuestionForm
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            # Only this version's sections may be chosen.
            formset.form.base_fields["section"].queryset = Section.objects.filter(version=obj)
            rules = EvaluationRules.current()
            formset.form.base_fields["scale_min"].initial = rules.scale_min
            formset.form.base_fields["scale_max"].initial = rules.scale_max
        return formset


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "number", "frozen", "created_at"]
    list_select_related = ["questionnaire"]
    list_filter = ["frozen"]
    readonly_fields = ["questionnaire", "number", "frozen"]
    inlines = [SectionInline, QuestionInline]

    def has_add_permission(self, request):
        return False  # versions come from the questionnaire (first one, or "New editable version")

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.frozen) and super().has_delete_permission(request, obj)


class InvitationInline(admin.TabularInline):
    model = Invitation
    fields = ["name", "email", "answered", "first_sent_at", "last_sent_at", "reminders_sent"]
    # Of an anonymous round, nothing that tells who answered: not the answer, nor the
    # reminders (they go only to those who have not answered), only who was invited.
    anonymous_fields = ["name", "email", "first_sent_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    classes = ["collapse"]
    # Each row holds its round (and the round its class): no query per invitation.
    formset = LoadedInlineFormSet

    def get_fields(self, request, obj=None):
        return self.anonymous_fields if obj is not None and obj.anonymous else self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("round__cohort")


class RoundForm(forms.ModelForm):
    class Meta:
        model = SurveyRound
        fields = [
            "title", "version", "cohort", "module", "lecturer", "phase", "subject", "audience", "anonymous",
            "months_after", "opens_on", "closes_on", "min_answers", "remind_every_days", "max_reminders",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "version" in self.fields:
            self.fields["version"].queryset = QuestionnaireVersion.objects.select_related("questionnaire")


@admin.register(SurveyRound)
class SurveyRoundAdmin(ScopedAdminMixin, BoundedSearchMixin, admin.ModelAdmin):
    form = RoundForm
    list_display = ["title", "cohort", "phase", "subject", "audience", "anonymous", "closes_on"]
    list_select_related = ["cohort"]
    list_filter = ["phase", "subject", "audience", "anonymous"]
    search_fields = ["title", "cohort__code"]
    raw_id_fields = ["cohort", "module", "lecturer"]
    date_hierarchy = "closes_on"
    inlines = [InvitationInline]
    actions = ["send_now"]
    # What a round asks and of whom is fixed once it exists: answers depend on it.
    # The threshold too: lowering it once answers arrive would show what it hides.
    fixed_fields = [
        "version", "cohort", "module", "lecturer", "phase", "subject", "audience", "anonymous", "min_answers",
    ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fixed = [*self.fixed_fields, "answer_counts"]
        if obj.anonymous and obj.is_closed():
            # Reopening a closed anonymous round would let a few late answers be written out
            # on their own, after its results were shown.
            fixed += ["opens_on", "closes_on"]
        return fixed

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [*[name for name in fields if name != "answer_counts"], "answer_counts"] if obj else fields

    @admin.display(description=_("answers"))
    def answer_counts(self, obj):
        """Counts only: who answered an anonymous round is shown nowhere."""
        invited = Invitation.objects.filter(round=obj).counted()
        text = gettext("%(answered)s of %(invited)s invited have answered.") % {
            "answered": format_int(invited.filter(answered=True).count()),
            "invited": format_int(invited.count()),
        }
        waiting = obj.pooled.count()
        if waiting:
            text += " " + gettext(
                "%(count)s anonymous forms wait in the pool, to be written out among others (at the latest once "
                "the round has closed)."
            ) % {"count": format_int(waiting)}
        return text

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        fields = {name: form.cleaned_data[name] for name in form.cleaned_data if name in form.fields}
        created = services.round_create(user=request.user, **fields)
        obj.pk = created.pk
        obj._state.adding = False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            original_clean = form.clean

            def clean(self):
                cleaned = original_clean(self)
                version = cleaned.get("version")
                if version is not None and not version.questions.exists():
                    raise ValidationError({"version": gettext("This questionnaire version has no questions.")})
                return cleaned

            form.clean = clean
        return form

    @admin.action(description=_("Send invitations and reminders that are due"))
    def send_now(self, request, queryset):
        for survey_round in queryset.select_related("cohort"):
            if not survey_round.is_open():
                self.message_user(
                    request, gettext("%(round)s is not open today.") % {"round": survey_round}, messages.WARNING
                )
                continue
            report = mailing.round_send(survey_round)
            self.message_user(
                request,
                gettext("%(round)s: %(invited)s invitations and %(reminded)s reminders sent.")
                % {"round": survey_round, "invited": report.invited, "reminded": report.reminded},
                messages.ERROR if report.failed else messages.SUCCESS,
            )


@admin.register(CareerEvent)
class CareerEventAdmin(UsersByNameMixin, ReadOnlyAdminMixin, ScopedAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["student", "kind", "date", "decision_number", "recorded_by"]
    list_select_related = ["student", "recorded_by"]
    list_filter = ["kind", "date"]
    search_fields = ["decision_number"]
    person_search = "student__"
    # Events are recorded and removed on the outcome pages, which audit every change.
