"""Forms of the admissions pages: the list's filters, the candidate, the dossier, the
decision, exceptions to rules, and placement in a class."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import FileExtensionValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from daotao.accounts.access import is_agency, is_coordinator
from daotao.admissions.models import Application, Decision, EligibilityRule, ProgramDocument, Status
from daotao.cohorts.access import localities_for
from daotao.cohorts.models import Cohort, CohortStatus
from daotao.org.models import LOCALITY_KINDS, Unit, UnitKind
from daotao.org.validity import form_unit_check, offer_not_ended, unit_problem
from daotao.planning.models import AnnualPlan
from daotao.programs.models import Program
from daotao.web.forms import VietnameseDateField, YearField
from daotao.web.uploads import MaxUploadSize

EVERYTHING = [("", _("All"))]
UPLOAD_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, plan):
        return str(plan.year)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.name


def program_label(program) -> str:
    return f"{program.code} – {program.name}"


class ProgramChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, program):
        return program_label(program)


# --- the list --------------------------------------------------------------------------------


class ApplicationFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Plan year"), required=False, coerce=int, empty_value=None)
    program = forms.ChoiceField(label=_("Program"), required=False)
    locality = forms.ChoiceField(label=_("Locality"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=EVERYTHING + Status.choices)
    decision = forms.ChoiceField(label=_("Decision"), required=False, choices=EVERYTHING + Decision.choices)
    q = forms.CharField(label=_("Name or national ID"), required=False, max_length=100)

    def __init__(self, data, *, years, programs, localities):
        if "year" not in data and years:  # the latest plan unless "all years" was chosen
            data = data.copy()
            data["year"] = str(years[0])
        super().__init__(data)
        self.fields["year"].choices = EVERYTHING + [(year, year) for year in years]
        self.fields["program"].choices = EVERYTHING + [(code, f"{code} – {name}") for code, name in programs]
        self.fields["locality"].choices = EVERYTHING + [(code, name) for code, name, _path in localities]
        self.fields["q"].widget.attrs.update(type="search")
        self.paths = {code: path for code, _name, path in localities}

    def filter(self, applications, user=None):
        """The applications matching every valid filter (an invalid one is ignored); with
        ``user``, a national ID finds only those whose personal data the user sees."""
        self.is_valid()
        chosen = {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}
        if "year" in chosen:
            applications = applications.filter(plan__year=chosen["year"])
        if "program" in chosen:
            applications = applications.filter(program__code=chosen["program"])
        if "locality" in chosen:
            applications = applications.filter(locality__path__startswith=self.paths[chosen["locality"]])
        if "status" in chosen:
            applications = applications.filter(status=chosen["status"])
        if "decision" in chosen:
            applications = applications.filter(decision=chosen["decision"])
        if "q" in chosen:
            applications = applications.search(chosen["q"], user)
        return applications


# --- the candidate ---------------------------------------------------------------------------


class ApplicationForm(forms.ModelForm):
    """A candidate: personal and career data, what they are nominated for, by whom, and the
    documents of the dossier received. The locality and agency a user may choose follow
    their scope: a coordinator nominates from their locality and below, an agency its own
    staff, the training office anyone."""

    plan = PlanChoiceField(label=_("Plan year"), queryset=AnnualPlan.objects.order_by("-year"), empty_label=None)
    program = ProgramChoiceField(label=_("Program"), queryset=Program.objects.order_by("code"))
    locality = UnitChoiceField(label=_("Nominating locality"), queryset=Unit.objects.none())
    agency = UnitChoiceField(label=_("Sending agency"), queryset=Unit.objects.none(), required=False)
    documents = forms.TypedMultipleChoiceField(
        label=_("Documents received"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Application
        fields = [
            "full_name", "national_id", "date_of_birth", "gender", "ethnicity", "phone", "email",
            "party_status", "party_joined_on", "education_level", "theory_level",
            "position", "position_category", "workplace", "grade",
            "in_planning_pool", "planned_position", "rating_last_year", "rating_year_before",
            "plan", "program", "mode", "funding", "locality", "agency", "notes",
        ]  # fmt: skip
        field_classes = {"date_of_birth": VietnameseDateField, "party_joined_on": VietnameseDateField}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        instance = self.instance
        today = timezone.localdate()
        current = Q(pk=instance.locality_id) if instance.locality_id else Q(pk__in=[])
        current_agency = Q(pk=instance.agency_id) if instance.agency_id else Q(pk__in=[])
        # A coordinator: their locality and the units below it (``cohorts.access``). Units
        # that have ended are not offered, and refused in ``clean`` with the reason.
        localities = localities_for(user)
        agencies = Unit.objects.filter(kind=UnitKind.AGENCY)
        self.agency_fixed = None
        if is_coordinator(user):
            if not instance.pk and user.unit.kind in LOCALITY_KINDS:
                self.initial["locality"] = user.unit.pk
        elif is_agency(user):
            # A sending agency nominates its own staff: the agency is theirs, fixed.
            self.agency_fixed = user.unit
            del self.fields["agency"]
        if "agency" in self.fields:
            self.fields["agency"].queryset = agencies.order_by("sort_key")
            offer_not_ended(self.fields["agency"], today, keep=current_agency)
        self.fields["locality"].queryset = Unit.objects.filter(Q(pk__in=localities.values("pk")) | current).order_by(
            "sort_key"
        )
        offer_not_ended(self.fields["locality"], today, keep=current)
        if not instance.pk:
            latest = AnnualPlan.objects.order_by("-year").values_list("pk", flat=True).first()
            self.initial["plan"] = latest
        # Every document of any program's checklist; the page shows those of the chosen program.
        checklist = ProgramDocument.objects.select_related("document_type").order_by("order", "id")
        self.checklist: dict[int, list[ProgramDocument]] = {}
        names: dict[int, str] = {}
        for item in checklist:
            self.checklist.setdefault(item.program_id, []).append(item)
            names.setdefault(item.document_type_id, item.document_type.name)
        self.fields["documents"].choices = list(names.items())
        self.document_programs = {
            type_id: [p for p, items in self.checklist.items() if any(i.document_type_id == type_id for i in items)]
            for type_id in names
        }
        self.document_required = {
            (item.program_id, item.document_type_id)
            for items in self.checklist.values()
            for item in items
            if item.required
        }
        if instance.pk:
            self.initial["documents"] = list(
                instance.documents.filter(received=True).values_list("document_type_id", flat=True)
            )
        if self.agency_fixed is not None and not instance.pk:
            instance.agency = self.agency_fixed

    FIELDSETS = [
        (_("Candidate"), ["full_name", "national_id", "date_of_birth", "gender", "ethnicity", "phone", "email"]),
        (_("Party membership and education"), ["party_status", "party_joined_on", "education_level", "theory_level"]),
        (
            _("Work"),
            ["position", "position_category", "workplace", "grade", "in_planning_pool", "planned_position",
             "rating_last_year", "rating_year_before"],
        ),
        (_("Nomination"), ["plan", "program", "mode", "funding", "locality", "agency", "notes"]),
    ]  # fmt: skip

    def fieldsets(self):
        for title, names in self.FIELDSETS:
            yield title, [self[name] for name in names if name in self.fields]

    def document_choices(self):
        """Each document checkbox with the programs whose checklist has it (for the page's script)."""
        for widget in self["documents"]:
            type_id = int(widget.data["value"])
            programs = self.document_programs.get(type_id, [])
            yield widget, " ".join(str(p) for p in programs)

    def clean(self):
        cleaned = super().clean()
        plan, program, number = cleaned.get("plan"), cleaned.get("program"), cleaned.get("national_id")
        if plan:  # a unit that no longer exists (or not yet) in the plan year is refused
            form_unit_check(self, "locality", plan.year, dated_by=("plan",))
            form_unit_check(self, "agency", plan.year, dated_by=("plan",))
            if self.agency_fixed is not None and (not self.instance.pk or "plan" in self.changed_data):
                if problem := unit_problem(self.agency_fixed, plan.year):  # the agency's own account
                    self.add_error(None, problem)
        if plan and program and number:
            others = Application.objects.filter(plan=plan, program=program, national_id=number)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error(
                    "national_id",
                    _("A candidate with this national ID is already nominated for %(program)s in the %(year)s plan.")
                    % {"program": program.code, "year": plan.year},
                )
        return cleaned

    def received_documents(self) -> list[int]:
        """The document types checked that belong to the chosen program's checklist."""
        program = self.cleaned_data["program"]
        on_list = {item.document_type_id for item in self.checklist.get(program.pk, [])}
        return [type_id for type_id in self.cleaned_data["documents"] if type_id in on_list]


# --- the dossier, the decision, exceptions ---------------------------------------------------


class DocumentsForm(forms.Form):
    """One checkbox and one optional file per document of the program's checklist."""

    def __init__(self, *args, checklist, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        self.rows = []
        for item in checklist:
            type_id = item.document_type_id
            document = documents.get(type_id)
            self.fields[f"received_{type_id}"] = forms.BooleanField(
                label=item.document_type.name, required=False, initial=bool(document and document.received)
            )
            self.fields[f"file_{type_id}"] = forms.FileField(
                label=_("File"),
                required=False,
                validators=[FileExtensionValidator(UPLOAD_EXTENSIONS), MaxUploadSize("DAOTAO_MAX_DOCUMENT_BYTES")],
                widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{e}" for e in UPLOAD_EXTENSIONS)}),
            )
            self.rows.append((item, document, self[f"received_{type_id}"], self[f"file_{type_id}"]))

    def received(self, documents, today: dt.date) -> dict[int, dt.date]:
        """Document type id -> date received; a document received before keeps its date."""
        result = {}
        for item in self.checklist:
            type_id = item.document_type_id
            if self.cleaned_data.get(f"received_{type_id}"):
                earlier = documents.get(type_id)
                result[type_id] = (earlier.received_on if earlier and earlier.received else None) or today
        return result

    def uploads(self) -> dict:
        return {
            item.document_type_id: self.cleaned_data[f"file_{item.document_type_id}"]
            for item in self.checklist
            if self.cleaned_data.get(f"file_{item.document_type_id}")
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Decision.ADMITTED, _("Admit")),
            (Decision.REJECTED, _("Reject")),
            (Decision.PENDING, _("Back to pending")),
        ],
        widget=forms.RadioSelect,
    )
    number = forms.CharField(label=_("Decision number"), required=False, max_length=64)
    date = VietnameseDateField(label=_("Decision date"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExceptionForm(forms.Form):
    rule = forms.ModelChoiceField(label=_("Rule"), queryset=EligibilityRule.objects.none())
    decided_by = forms.CharField(
        label=_("Decided by"), max_length=255, help_text=_("The competent level that allowed the exception.")
    )
    decision_number = forms.CharField(label=_("Decision number"), required=False, max_length=64)
    decided_on = VietnameseDateField(label=_("Decided on"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        rules = EligibilityRule.objects.filter(program_id=application.program_id, is_active=True)
        self.fields["rule"].queryset = rules.order_by("order", "id")


# --- placement -------------------------------------------------------------------------------


class PlacementFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Plan year"), coerce=int)
    program = ProgramChoiceField(label=_("Program"), queryset=Program.objects.order_by("code"), to_field_name="code")

    def __init__(self, data, *, years):
        if "year" not in data and years:
            data = data.copy()
            data["year"] = str(years[0])
        super().__init__(data)
        self.fields["year"].choices = [(year, year) for year in years]


class PlacementForm(forms.Form):
    """Which admitted candidates, and into which existing class (action ``place``)."""

    applications = forms.ModelMultipleChoiceField(
        label=_("Candidates"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one admitted candidate.")},
    )
    cohort = forms.ModelChoiceField(label=_("Class"), queryset=Cohort.objects.none(), required=False)

    def __init__(self, *args, candidates, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = candidates
        self.fields["cohort"].queryset = (
            Cohort.objects.not_closed().filter(program=program).order_by("-opening_date", "code")
        )


class NewCohortForm(forms.ModelForm):
    """A new class opened from the chosen candidates (action ``open``)."""

    host_locality = UnitChoiceField(label=_("Host locality"), queryset=Unit.objects.none())

    class Meta:
        model = Cohort
        fields = ["code", "name", "mode", "funding", "host_locality", "venue", "opening_date", "plan_year"]
        field_classes = {"opening_date": VietnameseDateField, "plan_year": YearField}

    def __init__(self, *args, program, year, **kwargs):
        super().__init__(*args, prefix="new", **kwargs)
        self.instance.program = program
        self.fields["plan_year"].initial = year
        hosts = Unit.objects.filter(Q(kind__in=LOCALITY_KINDS) | Q(kind=UnitKind.SCHOOL))
        self.fields["host_locality"].queryset = hosts.order_by("sort_key")
        offer_not_ended(self.fields["host_locality"], timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        # The host must exist on the opening date (org/validity.py).
        form_unit_check(self, "host_locality", cleaned.get("opening_date"), dated_by=("opening_date",))
        return cleaned

    def save(self, commit=False):
        cohort = super().save(commit=False)
        cohort.status = CohortStatus.PLANNED if cohort.opening_date > timezone.localdate() else CohortStatus.OPEN
        return cohort
