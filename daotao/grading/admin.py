"""Back office of grading: each program's rules and disciplinary measures are edited here;
grades, graduation decisions, the register, its counters and the blank forms change only
through their audited pages and services, so the admin shows them read-only. Lists read their related
rows in the same query (no query per row)."""

import json
import re
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from daotao.grading.models import (
    BlankForm,
    BlankFormBatch,
    Credential,
    Discipline,
    Grade,
    GradingRules,
    GraduationDecision,
    GraduationEntry,
    RegisterCounter,
)
from daotao.grading.rules import RULE_FIELDS, bands_from_json
from daotao.lib.vietnamese import format_decimal
from daotao.people.admin_search import FoldedSearchMixin
from daotao.web.adminutils import BoundedSearchMixin, ReadOnlyAdminMixin, ScopedAdminMixin, UsersByNameMixin


class ReadOnlyAdmin(ReadOnlyAdminMixin, BoundedSearchMixin, admin.ModelAdmin):
    pass


class BandsField(forms.CharField):
    """The classification bands typed one a line, best first: ``code | name | from``, e.g.
    ``fair_average | Trung bình khá | 6,5``; stored as ``grading.rules.bands_to_json``.
    The model's ``clean`` then checks them (``grading.rules.check_bands``)."""

    widget = forms.Textarea(attrs={"rows": 7, "cols": 60})

    def prepare_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        if isinstance(value, list):
            lines = []
            for item in value:
                if isinstance(item, dict):
                    minimum = format_decimal(Decimal(str(item.get("from", 0))), 1)
                    lines.append(f"{item.get('code', '')} | {item.get('name', '')} | {minimum}")
            return "\n".join(lines)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        bands = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3:
                raise forms.ValidationError(
                    _("Line %(line)s: write the code, the name and the average it starts from, separated by |.")
                    % {"line": number}
                )
            code, name, minimum = parts
            if not _MARK.match(minimum):
                raise forms.ValidationError(
                    _("Line %(line)s: “%(value)s” is not a mark.") % {"line": number, "value": minimum[:20]}
                )
            bands.append({"code": code, "name": name, "from": minimum.replace(",", ".")})
        return bands


_MARK = re.compile(r"^\d{1,2}(?:[.,]\d+)?$")


class GradingRulesForm(forms.ModelForm):
    bands = BandsField(
        label=_("Classification bands"),
        help_text=_(
            "One band a line, from the best down: code | name as printed | the average it starts from, "
            "e.g. fair_average | Trung bình khá | 6,5. The lowest band starts at or below the pass mark."
        ),
    )

    class Meta:
        model = GradingRules
        fields = ["program", *RULE_FIELDS]

    def clean(self):
        """The pass mark is a mark from 0 to 10; the bands are checked by the model."""
        data = super().clean()
        value = data.get("pass_mark")
        if value is not None and not 0 <= value <= 10:
            self.add_error("pass_mark", _("Enter a mark from 0 to 10."))
        return data


@admin.register(GradingRules)
class GradingRulesAdmin(BoundedSearchMixin, admin.ModelAdmin):
    form = GradingRulesForm
    list_display = [
        "program",
        "pass_mark",
        "max_retakes",
        "retake_cap",
        "max_absence_percent",
        "bands_shown",
        "certificate_min_score",
    ]
    list_select_related = ["program"]
    search_fields = ["program__code", "program__name"]

    @admin.display(description=_("Classification bands"))
    def bands_shown(self, obj) -> str:
        """ "Xuất sắc ≥ 9,0; Giỏi ≥ 8,0; …"."""
        try:
            bands = bands_from_json(obj.bands)
        except ValueError:
            return "–"
        return "; ".join(f"{band.name} ≥ {format_decimal(band.minimum, 1)}" for band in bands)

    fieldsets = [
        (None, {"fields": ["program"]}),
        (_("Marks and rounding"), {"fields": ["pass_mark", "score_decimals", "average_decimals"]}),
        (_("Retakes and absences"), {"fields": ["max_retakes", "retake_cap", "max_absence_percent"]}),
        (
            _("Classification"),
            {
                "fields": [
                    "bands",
                    "downgrade_after_retake",
                    "downgrade_for_discipline",
                ]
            },
        ),
        (_("Essays and certificates"), {"fields": ["essay_max_gap", "certificate_min_score"]}),
    ]


@admin.register(Discipline)
class DisciplineAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["enrollment", "measure", "date", "decision_number"]
    list_select_related = ["enrollment__student", "enrollment__cohort"]
    list_filter = ["measure"]
    raw_id_fields = ["enrollment"]
    date_hierarchy = "date"
    search_fields = ["decision_number", "enrollment__cohort__code"]
    person_search = "enrollment__student__"


@admin.register(Grade)
class GradeAdmin(UsersByNameMixin, FoldedSearchMixin, ReadOnlyAdmin):
    list_display = ["enrollment", "assessment", "attempt", "score", "absent", "recorded_by", "recorded_at"]
    list_select_related = ["enrollment__student", "enrollment__cohort", "assessment__module", "recorded_by"]
    list_filter = ["attempt", "absent"]
    search_fields = ["enrollment__cohort__code"]
    person_search = "enrollment__student__"


class GraduationEntryInline(admin.TabularInline):
    model = GraduationEntry
    fields = ["enrollment", "average", "classification", "downgraded"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("enrollment__student", "enrollment__cohort")
            .order_by("enrollment__student__sort_key")
        )


@admin.register(GraduationDecision)
class GraduationDecisionAdmin(UsersByNameMixin, ReadOnlyAdmin):
    list_display = ["number", "date", "cohort", "signed_by", "created_by"]
    list_select_related = ["cohort", "created_by"]
    date_hierarchy = "date"
    search_fields = ["number", "cohort__code"]
    inlines = [GraduationEntryInline]


@admin.register(GraduationEntry)
class GraduationEntryAdmin(ScopedAdminMixin, FoldedSearchMixin, ReadOnlyAdmin):
    list_display = ["enrollment", "decision", "average", "classification", "downgraded"]
    list_select_related = ["enrollment__student", "enrollment__cohort", "decision"]
    list_filter = ["classification", "downgraded"]
    search_fields = ["enrollment__cohort__code", "decision__number"]
    person_search = "enrollment__student__"


@admin.register(Credential)
class CredentialAdmin(UsersByNameMixin, ScopedAdminMixin, FoldedSearchMixin, ReadOnlyAdmin):
    list_display = ["register_number", "serial_number", "register", "kind", "enrollment", "issued_on", "status"]
    list_select_related = ["enrollment__student", "enrollment__cohort"]
    list_filter = ["kind", "status", "year", "register"]
    date_hierarchy = "issued_on"
    search_fields = ["register_number", "serial_number", "register", "enrollment__cohort__code"]
    person_search = "enrollment__student__"


@admin.register(RegisterCounter)
class RegisterCounterAdmin(ReadOnlyAdmin):
    """The last number given in each register of the school's own (year 0: the serials,
    running on across years)."""

    list_display = ["kind", "year", "last_number"]
    list_filter = ["kind"]


@admin.register(BlankFormBatch)
class BlankFormBatchAdmin(UsersByNameMixin, ReadOnlyAdmin):
    """Batches are recorded on the blank forms' page, where their ranges are checked."""

    list_display = ["__str__", "register", "kind", "program", "received_on", "reference", "received_by"]
    list_select_related = ["program", "received_by"]
    list_filter = ["kind", "register"]
    date_hierarchy = "received_on"
    search_fields = ["prefix", "reference", "program__code"]


@admin.register(BlankForm)
class BlankFormAdmin(UsersByNameMixin, ReadOnlyAdmin):
    """The forms used, spoiled or voided, as the register and the blank forms' page wrote them."""

    list_display = ["serial", "register", "state", "credential", "reason", "at", "by"]
    list_select_related = ["credential", "by"]
    list_filter = ["state", "batch__kind", "register"]
    date_hierarchy = "at"
    search_fields = ["serial", "credential__register_number"]
