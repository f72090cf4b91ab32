"""Back office of the workload: the coefficients of each decision (with the programs' and the
class sizes' coefficients inline) and the lecturers' own norms. Not the record of any class:
every training office user sees them whole."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from daotao.people.admin_search import FoldedSearchMixin
from daotao.web.adminutils import BoundedSearchMixin
from daotao.workload.models import ClassSizeBand, LecturerNorm, ProgramCoefficient, WorkloadRules


class ProgramCoefficientInline(admin.TabularInline):
    model = ProgramCoefficient
    fields = ["program", "coefficient"]
    extra = 0


class ClassSizeBandInline(admin.TabularInline):
    model = ClassSizeBand
    fields = ["more_than", "coefficient"]
    extra = 0


@admin.register(WorkloadRules)
class WorkloadRulesAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["year", "decision", "lecture", "seminar", "field_trip", "norm"]
    search_fields = ["decision"]
    fieldsets = [
        (None, {"fields": ["year", "decision", "norm"]}),
        (
            _("Standard hours per unit of work"),
            {"fields": ["lecture", "seminar", "field_trip", "exam_script", "essay_grading", "essay_supervision"]},
        ),
    ]
    inlines = [ProgramCoefficientInline, ClassSizeBandInline]


@admin.register(LecturerNorm)
class LecturerNormAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["lecturer", "year", "norm", "reason"]
    list_select_related = ["lecturer"]
    list_filter = ["year", "lecturer__faculty"]
    search_fields = ["reason"]
    folded_search_fields = ("lecturer__search_key",)
    autocomplete_fields = ["lecturer"]
