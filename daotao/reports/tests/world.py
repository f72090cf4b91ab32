"""A small world for the report tests: 2020 classes in H01 and H02, a carried-over class,
a fostering class at the school, a cancelled class and the 2020 plan's quotas.

Figures of the built-in yearly report for 2020:

=================  ===============  ===============
line               whole school     H01's coordinator
=================  ===============  ===============
tc_opened          10 / 1.070       07 / 70
tc_supported       07 / 70          07 / 70
tc_self_funded     03 / 1.000       0 / 0
tc_carried_over    01 / 50          01 / 50
tc_active          11 / 1.120       08 / 120
bd_cv              01 / 40          0 / 0
=================  ===============  ===============

Quota 2020 (one line each): H01 supported met (07 / 70 of 07 / 70), H02 self-funded not met
(03 / 1.000 of 04 / 1.200), H03 supported not met (nothing opened of 01 / 80).
"""

import datetime as dt

from django.core.management import CommandError
from django.utils import translation

from daotao.planning.models import AnnualPlan, PlanStatus, Quota
from daotao.testing import WorldTestCase, enroll, make_cohort

D = dt.date


SCHOOL_FIGURES = {
    "tc_opened": (10, 1070),
    "tc_supported": (7, 70),
    "tc_self_funded": (3, 1000),
    "tc_carried_over": (1, 50),
    "tc_active": (11, 1120),
    "bd_cv": (1, 40),
    "bd_ldp": (0, 0),
    "bd_btx": (0, 0),
}
H01_FIGURES = {
    "tc_opened": (7, 70),
    "tc_supported": (7, 70),
    "tc_self_funded": (0, 0),
    "tc_carried_over": (1, 50),
    "tc_active": (8, 120),
    "bd_cv": (0, 0),
    "bd_ldp": (0, 0),
    "bd_btx": (0, 0),
}


class ReportWorldTestCase(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        tc = cls.programs["TC-LLCT-HC"]
        for number in range(7):
            cohort = make_cohort(f"TC20-H01-{number}", tc, cls.h01, D(2020, 3, 2 + number))
            enroll(cohort, 10)
        # Cancelled enrollments and a cancelled class count nowhere.
        enroll(cohort, 2, status="cancelled")
        cancelled = make_cohort("TC20-H01-X", tc, cls.h01, D(2020, 4, 1), status="cancelled")
        enroll(cancelled, 30)
        for number, size in enumerate((400, 300, 300)):
            cohort = make_cohort(f"TC20-H02-{number}", tc, cls.h02, D(2020, 5, 4 + number), funding="self_funded")
            enroll(cohort, size)
        carried = make_cohort("TC19-H01", tc, cls.x01, D(2019, 3, 1), D(2020, 9, 30))
        enroll(carried, 50)
        fostering = make_cohort(
            "CV20", cls.programs["BD-CV"], cls.school, D(2020, 5, 11), D(2020, 6, 12), mode="concentrated"
        )
        enroll(fostering, 40)
        plan = AnnualPlan.objects.create(year=2020, status=PlanStatus.APPROVED)
        # A class achieves the quota line of its own funding: H02's classes are self-funded.
        quotas = ((cls.h01, "supported", 7, 70), (cls.h02, "self_funded", 4, 1200), (cls.h03, "supported", 1, 80))
        for locality, funding, classes, students in quotas:
            Quota.objects.create(
                plan=plan, program=tc, locality=locality, funding=funding, classes=classes, students=students
            )

    @staticmethod
    def figures(report) -> dict[str, tuple[int, int]]:
        return {result.line.key: (result.counts.classes, result.counts.students) for result in report.lines}


class CommandErrorAssertions:
    """For command tests with a ``run_command(*args)``: errors start with the argument's name."""

    def assert_error(self, args, flag, text=""):
        with translation.override("vi"), self.assertRaises(CommandError) as caught:
            self.run_command(*args)
        message = str(caught.exception)
        self.assertTrue(message.startswith(f"{flag}: "), message)
        self.assertIn(text, message)
