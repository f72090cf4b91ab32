"""The demo's current-year admissions: the shipped presets, this year's approved plan with
quotas for today's units (communes and wards after the 2025 reorganisation, and one
commune-level political centre), nominations from several of them in every state, a
class opened from the admitted of one commune, and the users of a commune coordinator and
a sending agency. The 2019-2020 data keep their districts and are not touched.

Nominations are fictional people (seeded random, valid national IDs). They are created in
bulk and checked by ``checks.refresh``; exceptions, decisions and the placement go through
the admissions services, so they are audited as real ones. Loading again creates nothing:
a nomination is found by its national ID in the plan, and only new ones are decided.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from daotao.accounts import roles
from daotao.accounts.models import User
from daotao.admissions import checks, presets, services
from daotao.admissions.models import (
    Application,
    ApplicationDocument,
    Decision,
    EducationLevel,
    EligibilityRule,
    PartyStatus,
    PositionCategory,
    ProgramDocument,
    Rating,
    RuleKind,
)
from daotao.cohorts.models import Cohort
from daotao.demo import data
from daotao.lib import national_id
from daotao.lib.batches import BATCH
from daotao.org.models import Unit
from daotao.planning.models import AnnualPlan, PlanStatus, Quota
from daotao.programs.models import Program

D = dt.date
TC, CVC = "TC-LLCT-HC", "BD-CVC"
# (program, unit, funding, classes, students, nominations by state:
#  (incomplete, ineligible, eligible, admitted, rejected))
LINES = [
    (TC, "X01", "supported", 1, 20, (2, 1, 3, 20, 1)),  # met
    (TC, "X02", "supported", 1, 25, (3, 2, 4, 12, 1)),
    (TC, "X03", "self_funded", 1, 20, (1, 2, 3, 6, 0)),  # even the nominations fall short
    (TC, "TTCT-X04", "supported", 1, 20, (1, 1, 2, 0, 0)),
    (TC, "X05", "supported", 1, 25, (2, 1, 2, 8, 1)),
    (TC, "X10", "supported", 1, 15, (1, 2, 2, 15, 0)),  # met
    (CVC, "X01", "supported", 1, 8, (1, 1, 1, 5, 0)),
    (CVC, "X02", "supported", 1, 6, (0, 1, 1, 6, 0)),  # met
]
# Nominated by the provincial Department of Home Affairs for its staff (unit X01's line).
AGENCY = "CQ-SNV"
AGENCY_NOMINEES = 2
PLAN_DECISION = "05-QĐ/TU"
USERS = [  # (username, role, unit, first name, last name): shown last name first
    ("diaphuong.x01", roles.LOCALITY_COORDINATOR, "X01", "Phường Bình An", "Điều phối"),
    ("coquan.snv", roles.SENDING_AGENCY, AGENCY, "Sở Nội vụ", "Cán bộ"),
]
OFFICE_USERNAME = "daotao"
SERIAL_BASE = 700_000
INCOMPLETE, INELIGIBLE, ELIGIBLE, ADMITTED, REJECTED = range(5)


def logins() -> list[tuple[str, str, str]]:
    """The sign-ins of the coordinator and agency accounts (made with the others' by the
    loader, through the people workbook's service)."""
    return [(username, data.DEMO_PASSWORD, role) for username, role, *_rest in USERS]


def load_plan(year: int, today: dt.date, units, programs) -> AnnualPlan:
    plan, _ = AnnualPlan.objects.update_or_create(
        year=year,
        defaults={
            "title": f"Kế hoạch đào tạo, bồi dưỡng cán bộ năm {year}",
            "status": PlanStatus.APPROVED,
            "decision_number": PLAN_DECISION,
            "decision_date": min(today, D(year, 1, 15)),
        },
    )
    for program, unit, funding, classes, students, _states in LINES:
        Quota.objects.update_or_create(
            plan=plan,
            program=programs[program],
            locality=units[unit],
            funding=funding,
            defaults={"classes": classes, "students": students},
        )
    return plan


class _Nominees:
    """Fictional candidates, the same on every load."""

    def __init__(self, year: int):
        self.year, self.random, self.serial = year, random.Random(year), SERIAL_BASE
        self.positions = {p.code: p for p in PositionCategory.objects.all()}

    def person(self, state: int, program: str, unit: str, index: int, exception: bool = False) -> dict:
        rnd, year = self.random, self.year
        gender = rnd.choice(["male", "female"])
        born = D(rnd.randint(year - 55, year - 32), rnd.randint(1, 12), rnd.randint(1, 28))
        self.serial += 1
        parts = (data.FAMILY, data.MIDDLE[gender], data.GIVEN[gender])
        values = {
            "full_name": " ".join(rnd.choice(names) for names in parts),
            "gender": gender,
            "date_of_birth": born,
            "national_id": national_id.make(data.NATIONAL_ID_PROVINCE, gender, born, self.serial),
            "ethnicity": rnd.choice(data.ETHNICITIES) if unit == "X10" else "Kinh",
            "phone": f"09{rnd.randint(10_000_000, 99_999_999)}",
            "party_status": PartyStatus.FULL,
            "party_joined_on": D(born.year + rnd.randint(22, 28), rnd.randint(1, 12), rnd.randint(1, 28)),
            "education_level": rnd.choice([EducationLevel.UNIVERSITY] * 4 + [EducationLevel.MASTER]),
            "rating_last_year": rnd.choice([Rating.GOOD, Rating.EXCELLENT]),
            "rating_year_before": rnd.choice([Rating.GOOD, Rating.EXCELLENT]),
            "grade": "specialist",
            "position": "Phó Trưởng phòng Văn hóa - Xã hội",
            "position_category": self.positions["PHO-PHONG"],
        }
        if values["ethnicity"] != "Kinh":
            values["education_level"] = EducationLevel.UPPER_SECONDARY  # allowed for ethnic-minority cadres
        if index % 3 == 1:  # a commune civil servant in the planning pool for a deputy head post
            values |= {
                "position": "Công chức Văn phòng - Thống kê",
                "position_category": self.positions["CONG-CHUC-XA"],
                "in_planning_pool": True,
                "planned_position": self.positions["PHO-PHONG"],
            }
        if state == INELIGIBLE:
            values |= self.ineligible(program, index)
        if exception:  # a woman of 27 on 1 January: allowed by an exception (``_exception``)
            values |= self.born(D(year - 28, 6, 1), "female")
        return values

    def born(self, day: dt.date, gender: str) -> dict:
        """Another birth date and gender, with the national ID and Party date to match."""
        return {
            "date_of_birth": day,
            "gender": gender,
            "national_id": national_id.make(data.NATIONAL_ID_PROVINCE, gender, day, self.serial),
            "party_joined_on": D(self.year - 3, 3, 3),
        }

    def ineligible(self, program: str, index: int) -> dict:
        if program == CVC:
            return {"grade": "officer"}
        kind = index % 4
        if kind == 0:
            return {"party_status": PartyStatus.NONE, "party_joined_on": None}
        if kind == 1:
            return {"rating_last_year": Rating.COMPLETED}
        if kind == 2:
            return {
                "position": "Chuyên viên",
                "position_category": self.positions["KHAC"],
                "in_planning_pool": False,
                "planned_position": None,
            }
        return self.born(D(self.year - 26, 5, 20), "male")  # too young for non-concentrated study


def _nominations(plan, year, units, programs, users) -> list[tuple[Application, int]]:
    """The demo's nominations, new ones unsaved; with the state each is to end in."""
    nominees = _Nominees(year)
    existing = {a.national_id: a for a in Application.objects.filter(plan=plan)}
    result = []
    for program, unit, funding, _classes, _students, states in LINES:
        index = 0
        for state, count in enumerate(states):
            for _ in range(count):
                exception = (program, unit, state, index) == (TC, "X10", ELIGIBLE, states[0] + states[1])
                values = nominees.person(state, program, unit, index, exception)
                # Two of the Department's staff (one eligible, one admitted) on X01's line.
                agency = units[AGENCY] if program == TC and unit == "X01" and index in (3, 7) else None
                index += 1
                application = existing.get(values["national_id"])
                if application is None:
                    application = Application(
                        plan=plan,
                        program=programs[program],
                        mode="non_concentrated" if program == TC else "concentrated",
                        funding=funding,
                        locality=units[unit],
                        agency=agency,
                        workplace=units[AGENCY].name if agency else f"UBND {units[unit].name}",
                        submitted_by=users.get(AGENCY if agency else unit),
                        **values,
                    )
                    application.set_name(application.full_name)  # bulk_create does not call save()
                result.append((application, state))
    return result


def _dossiers(new: list[tuple[Application, int]]) -> None:
    """Every required document received, but for the incomplete (one or two missing)."""
    checklists: dict[int, list[int]] = {}
    for item in ProgramDocument.objects.filter(required=True).order_by("order"):
        checklists.setdefault(item.program_id, []).append(item.document_type_id)
    documents = []
    for number, (application, state) in enumerate(new):
        received = checklists.get(application.program_id, [])
        if state == INCOMPLETE:
            received = received[: -1 - number % 2]
        documents += [
            ApplicationDocument(application=application, document_type_id=type_id, received=True)
            for type_id in received
        ]
    ApplicationDocument.objects.bulk_create(documents, batch_size=BATCH)


def _decide(new, year, today, user) -> list[Application]:
    admitted = []
    decided_on = min(today, D(year, 8, 20))
    for number, (application, state) in enumerate(new):
        if state == ADMITTED:
            services.decide(application, user, Decision.ADMITTED, f"{150 + number}/QĐ-TCT", decided_on)
            admitted.append(application)
        elif state == REJECTED:
            reason = "Địa phương rút hồ sơ, không bố trí được thời gian học tập."
            services.decide(application, user, Decision.REJECTED, f"{150 + number}/QĐ-TCT", decided_on, reason)
    return admitted


def _exception(new, year, today, user) -> None:
    """The candidate of X10 a year too young for non-concentrated study, allowed by the
    provincial Party Standing Committee."""
    candidates = [a for a, state in new if state == ELIGIBLE and a.status == "ineligible"]
    if not candidates:
        return
    application = candidates[0]
    rule = EligibilityRule.objects.get(program=application.program, kind=RuleKind.AGE)
    services.record_exception(
        application, rule, user, "Ban Thường vụ Tỉnh ủy", min(today, D(year, 3, 10)), "125-CV/TU",
        "Cán bộ nữ người dân tộc thiểu số, đang công tác tại vùng khó khăn.",
    )  # fmt: skip


def _open_class(admitted, year, today, units, programs, user) -> None:
    """A class opened from the admitted Trung cấp candidates of X01."""
    code = f"TCX01-{year}-01"
    placed = [a for a in admitted if a.program_id == programs[TC].pk and a.locality.code == "X01"]
    if not placed or Cohort.objects.filter(code=code).exists():
        return
    opening = min(today, D(year, 9, 7))
    cohort = Cohort(
        code=code,
        name=f"Lớp Trung cấp lý luận chính trị - hành chính {units['X01'].name}, khóa {year}",
        program=programs[TC],
        mode="non_concentrated",
        funding="supported",
        host_locality=units["TTCT-X01"],
        venue=units["TTCT-X01"].name,
        opening_date=opening,
        status="open",
        plan_year=year,
    )
    services.open_cohort(placed, cohort, user)


def load(units: dict[str, Unit], programs: dict[str, Program]) -> list[tuple[str, str, str]]:
    """Write the current year's admissions; returns the demo sign-ins it adds."""
    today = timezone.localdate()
    year = today.year
    presets.install()
    signs_in = logins()
    office = User.objects.get(username=OFFICE_USERNAME)
    plan = load_plan(year, today, units, programs)
    submitters = {unit: User.objects.get(username=username) for username, _role, unit, *_names in USERS}
    everything = _nominations(plan, year, units, programs, submitters)
    new = [(application, state) for application, state in everything if application.pk is None]
    if not new:
        return signs_in
    Application.objects.bulk_create([application for application, _state in new], batch_size=BATCH)
    saved = {a.national_id: a for a in Application.objects.filter(plan=plan).select_related("plan", "locality")}
    new = [(saved[application.national_id], state) for application, state in new]
    _dossiers(new)
    checks.refresh([application for application, _state in new])
    _exception(new, year, today, office)
    admitted = _decide(new, year, today, office)
    _open_class(admitted, year, today, units, programs, office)
    return signs_in
