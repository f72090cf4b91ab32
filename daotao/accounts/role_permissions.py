"""What each role may do in the admin, as shipped. A role is a Django group (``roles.py``);
these are the permissions a new installation gives it. The school's administrator may change
a group's permissions in the admin afterwards; migrations never take back what they removed.

Roles other than the training office and the editor work on DaoTao's own pages, where the
scope of each record is checked (``scope.py``), and have no admin permissions. Users,
groups, API tokens and the sign-in records are the administrator's (superuser's) alone.

``tests/test_role_permissions.py`` proves that the migrations give each group exactly this,
and that every model in the admin is here or in ``SUPERUSER_ONLY``: a model added later
needs a line here and a migration granting it (``grants.grant``).
"""

from __future__ import annotations

from daotao.accounts import roles

ALL = ("view", "add", "change", "delete")
READ = ("view",)
# Records that change only through audited services (grades, decisions, the register) or
# are written by the system (logs, invitations, answers): the admin shows, never edits.
READ_ONLY = READ

ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    roles.TRAINING_OFFICE: {
        "org.unit": ALL,
        "org.succession": ALL,
        "org.lecturer": ALL,
        "people.student": ALL,
        "programs.program": ALL,
        "programs.module": ALL,
        "programs.assessment": ALL,
        "planning.annualplan": ALL,
        "planning.quota": ALL,
        "cohorts.cohort": ALL,
        "cohorts.enrollment": ALL,
        "reports.reporttemplate": ALL,
        "reports.reportline": ALL,
        "admissions.positioncategory": ALL,
        "admissions.documenttype": ALL,
        "admissions.programdocument": ALL,
        "admissions.eligibilityrule": ALL,
        # Dossier details; the decision fields are read-only there (audited pages decide).
        "admissions.application": ("view", "change"),
        "admissions.applicationdocument": READ_ONLY,
        "admissions.ruleexception": ("view", "add", "change"),
        "teaching.holiday": ALL,
        "teaching.unavailability": ALL,
        "teaching.room": ALL,
        "workload.workloadrules": ALL,
        "workload.programcoefficient": ALL,
        "workload.classsizeband": ALL,
        "workload.lecturernorm": ALL,
        "finance.payment": READ_ONLY,
        "teaching.teachingassignment": ALL,
        "teaching.lesson": ALL,
        "teaching.lecturelog": ALL,
        "teaching.attendance": ALL,
        "teaching.peerobservation": ALL,
        "teaching.classofficer": ALL,
        "teaching.steeringcommitteemember": ALL,
        "teaching.fieldtrip": ALL,
        "essays.localissue": ALL,
        "essays.essay": ("view", "change"),
        "grading.gradingrules": ALL,
        "grading.discipline": ALL,
        "grading.grade": READ_ONLY,
        "grading.graduationdecision": READ_ONLY,
        "grading.graduationentry": READ_ONLY,
        "grading.registercounter": READ_ONLY,
        "grading.credential": READ_ONLY,
        "grading.blankformbatch": READ_ONLY,
        "grading.blankform": READ_ONLY,
        "surveys.evaluationrules": ("view", "change"),
        "surveys.questionnaire": ALL,
        "surveys.questionnaireversion": ALL,
        "surveys.section": ALL,
        "surveys.question": ALL,
        "surveys.surveyround": ALL,
        "surveys.invitation": READ_ONLY,
        "surveys.careerevent": ALL,
        "twoway.resultpackdispatch": READ_ONLY,
        "alerts.absencethreshold": ALL,
        "alerts.absencewarning": READ_ONLY,
        "audit.auditentry": READ_ONLY,
        "audit.importrecord": READ_ONLY,
        # At the Academy (DAOTAO_ROLE=academy; elsewhere the admin shows neither): the schools
        # and their keys, and the packages imported (written by import_figures only).
        "academy.registeredschool": ALL,
        "academy.figurespackage": READ_ONLY,
    },
    roles.SCHOOL_BOARD: {},
    roles.LECTURER: {},
    roles.LOCALITY_COORDINATOR: {},
    roles.SENDING_AGENCY: {},
    roles.STUDENT: {},
    roles.EDITOR: {
        "portal.category": ALL,
        "portal.article": ALL,
        "portal.articleimage": ALL,
        "portal.banner": ALL,
        "portal.dailyvisits": READ_ONLY,
        "portal.visitoffset": ("view", "add", "change"),
    },
}

# Models in the admin that no role is given: the administrator's own.
SUPERUSER_ONLY = frozenset(
    {
        "accounts.user",
        "accounts.apitoken",
        "auth.group",
        "axes.accessattempt",
        "axes.accesslog",
        "axes.accessfailurelog",
    }
)


def codenames(role: str) -> set[tuple[str, str]]:
    """(app label, codename) of every permission the role is shipped with."""
    return {
        (model.split(".")[0], f"{action}_{model.split('.')[1]}")
        for model, actions in ROLE_PERMISSIONS[role].items()
        for action in actions
    }
