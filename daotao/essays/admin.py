"""Back office of the topic bank and the essays. Marks, scores and statuses change only
through the essay pages' services (audited), so they are read-only here."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from daotao.essays import services
from daotao.essays.models import Essay, LocalIssue
from daotao.org.validity import form_unit_check
from daotao.people.admin_search import FoldedSearchMixin
from daotao.web.adminutils import UploadLimitsMixin, UsersByNameMixin


class LocalIssueForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # Not for a locality that did not exist in the topic's year (org/validity.py).
        form_unit_check(self, "locality", cleaned.get("year"), dated_by=("year",))
        return cleaned


@admin.register(LocalIssue)
class LocalIssueAdmin(UsersByNameMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = LocalIssueForm
    list_display = ["title", "locality", "year", "status", "proposed_by"]
    list_select_related = ["locality", "proposed_by"]
    list_filter = ["status", "year", ("locality", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "locality__name"]
    folded_search_fields = ("search_key",)
    raw_id_fields = ["locality"]
    readonly_fields = ["status"]

    def save_model(self, request, obj, form, change):
        if not change and obj.proposed_by_id is None:
            obj.proposed_by = request.user
        super().save_model(request, obj, form, change)


class FlaggedFilter(admin.SimpleListFilter):
    title = _("near-duplicates")
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", _("Flagged")), ("no", _("Not flagged"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(similar=[])
        if self.value() == "no":
            return queryset.filter(similar=[])
        return queryset


class EssayAdminForm(forms.ModelForm):
    """A file handed in here is checked and read as on the essay pages
    (``services.essay_file_check``)."""

    file_text = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            try:
                self.file_text = services.essay_file_check(upload)
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return upload


@admin.register(Essay)
class EssayAdmin(UploadLimitsMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = EssayAdminForm
    upload_limits = {"file": "DAOTAO_MAX_ESSAY_BYTES"}
    list_display = ["title", "student", "cohort", "status", "score", "flagged"]
    list_select_related = ["enrollment__student", "enrollment__cohort"]
    list_filter = ["status", FlaggedFilter, "enrollment__cohort__program", "enrollment__cohort__plan_year"]
    search_fields = ["title", "enrollment__cohort__code"]
    folded_search_fields = ("title_key",)
    person_search = "enrollment__student__"
    raw_id_fields = ["enrollment", "local_issue", "supervisor", "first_grader", "second_grader"]
    readonly_fields = ["first_score", "second_score", "score", "status", "similar", "submitted_at", "file_text"]

    def save_model(self, request, obj, form, change):
        if "file" in form.changed_data:
            obj.file_text, obj.file_read = form.file_text or "", bool(obj.file)
        super().save_model(request, obj, form, change)
        if {"file", "text", "title"} & set(form.changed_data):
            services.essay_check_similarity(obj)

    @admin.display(description=_("student"), ordering="enrollment__student__sort_key")
    def student(self, essay):
        return essay.enrollment.student.full_name

    @admin.display(description=_("class"), ordering="enrollment__cohort__code")
    def cohort(self, essay):
        return essay.enrollment.cohort.code

    @admin.display(description=_("near-duplicates"))
    def flagged(self, essay):
        return len(essay.similar) or ""
