"""The first administrator's checklist: each set-up step, whether it is done (read from the
records, never ticked by hand) and where to do it. A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.accounts.models import User
from daotao.cohorts.models import Cohort
from daotao.grading.models import Credential, GraduationEntry
from daotao.lib.vietnamese import format_int
from daotao.onboarding.importing.people_columns import IMPORTED_ROLES
from daotao.org.models import LOCALITY_KINDS, Lecturer, Unit, UnitKind
from daotao.planning.models import AnnualPlan
from daotao.programs.models import Program
from daotao.school import identity


@dataclass
class Step:
    key: str
    title: str
    what: str  # what the step is for
    done: bool
    found: str  # what the records hold now
    links: list[tuple[str, str]] = field(default_factory=list)
    optional: bool = False


def checklist() -> list[Step]:
    today = timezone.localdate()
    school = identity.load()
    units = Unit.objects.valid_on(today).aggregate(
        provinces=Count("pk", filter=Q(kind=UnitKind.PROVINCE)),
        localities=Count("pk", filter=Q(kind__in=LOCALITY_KINDS)),
        centres=Count("pk", filter=Q(kind=UnitKind.POLITICAL_CENTRE)),
        agencies=Count("pk", filter=Q(kind=UnitKind.AGENCY)),
        faculties=Count("pk", filter=Q(kind=UnitKind.FACULTY)),
    )
    programs = Program.objects.filter(is_active=True).aggregate(
        programs=Count("pk", distinct=True), modules=Count("modules", distinct=True)
    )
    lecturers = Lecturer.objects.filter(is_active=True).count()
    accounts = (
        User.objects.filter(is_active=True, is_superuser=False, groups__name__in=IMPORTED_ROLES).distinct().count()
    )
    plan = AnnualPlan.objects.filter(year=today.year).annotate(lines=Count("quotas")).first()
    history = {
        "classes": Cohort.objects.count(),
        "graduates": GraduationEntry.objects.count(),
        "credentials": Credential.objects.count(),
    }
    n = {key: format_int(value) for key, value in {**units, **programs, **history}.items()}
    return [
        Step(
            "identity",
            _("The school's identity"),
            _("Name, Party committee, province, address, logo and the signers of documents: headers, documents, "
              "emails and the portal read them."),
            school.configured,
            _("%(name)s, %(parent)s") % {"name": school.name, "parent": school.parent} if school.configured else "",
            [(_("Set the identity"), reverse("onboarding:identity"))],
        ),
        Step(
            "units",
            _("Units"),
            _("The province, its localities (with the districts before 1/7/2025 and their successor communes), "
              "the political centres, the sending agencies, the school's faculties and offices."),
            bool(units["provinces"] and units["localities"] and units["faculties"]),
            _("%(localities)s localities, %(centres)s political centres, %(agencies)s agencies, %(faculties)s "
              "faculties valid today") % n,
            [(_("Import the units workbook"), reverse("onboarding:units-import")),
             (_("Units in the administration"), reverse("admin:org_unit_changelist"))],
        ),
        Step(
            "programs",
            _("Programs and curricula"),
            _("The programs the school teaches with their modules, grading rules, evaluation questionnaires and "
              "admission rules. DaoTao ships those of a provincial Political School; adjust them in the "
              "administration."),
            bool(programs["programs"] and programs["modules"]),
            _("%(programs)s programs, %(modules)s modules") % n,
            [(_("Programs in the administration"), reverse("admin:programs_program_changelist"))],
        ),
        Step(
            "people",
            _("People"),
            _("The lecturers with their faculties, and an account for every member of staff with their role and "
              "unit. Each new account receives an email to set its password."),
            bool(lecturers and accounts),
            _("%(lecturers)s lecturers, %(accounts)s accounts with a role")
            % {"lecturers": format_int(lecturers), "accounts": format_int(accounts)},
            [(_("Import the people workbook"), reverse("onboarding:people-import"))],
        ),
        Step(
            "plan",
            _("This year's plan"),
            _("The training plan of %(year)s and its quotas per locality and program.") % {"year": today.year},
            bool(plan and plan.lines),
            _("%(lines)s quota lines") % {"lines": format_int(plan.lines)} if plan else _("No plan yet"),
            [(_("Plans and quotas"), reverse("planning:list"))]
            + ([(_("Import quotas"), reverse("planning:detail", args=[plan.year]) + "#import")] if plan else []),
        ),
        Step(
            "history",
            _("Past records"),
            _("Classes of past years with their students, their final results and the diplomas and certificates "
              "already issued, so that years of history count in reports."),
            bool(history["classes"] and (history["graduates"] or history["credentials"])),
            _("%(classes)s classes, %(graduates)s graduates, %(credentials)s diplomas and certificates") % n,
            [(_("Import classes and students"), reverse("cohorts:import")),
             (_("Import results and the register"), reverse("onboarding:history-import"))],
            optional=True,
        ),
    ]  # fmt: skip
