"""The demo province: Bình An, a fictional province with ten district-level localities in
2019-2020 and the communes that replaced them in 2025. People are generated from a fixed
seed, so every run gives the same records.

The classes are laid out so that the yearly coordination report of 2020 gives the figures
a school published (DESIGN.md section 4): 13 non-concentrated Trung cấp classes opened under
the plan (07 supported with 559 students, 06 self-funded with 481), 13 carried over from 2019
with 1.095 students, 26 in all with 2.135; 19 fostering classes for chuyên viên and chuyên
viên chính, 03 for department-level leaders and 08 for commune Party secretaries. Around them
sit records that must *not* be counted: a cancelled class, cancelled enrollments,
concentrated Trung cấp classes, classes that closed in 2019.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from daotao.lib import national_id
from daotao.programs import curricula

D = dt.date
DISTRICTS_END = D(2025, 6, 30)
COMMUNES_START = D(2025, 7, 1)

PROVINCE = ("BA", "Tỉnh Bình An")
SCHOOL = ("SCH", "Trường Chính trị tỉnh Bình An")
FACULTIES = [
    ("K-LLCS", "Khoa Lý luận cơ sở"),
    ("K-XDD", "Khoa Xây dựng Đảng"),
    ("K-NNPL", "Khoa Nhà nước và pháp luật"),
]
OFFICES = [
    ("P-QLDT", "Phòng Quản lý đào tạo và Nghiên cứu khoa học"),
    ("P-TCHC", "Phòng Tổ chức - Hành chính - Thông tin"),
]
# (code, name, the commune that took over its centre in 2025)
DISTRICTS = [
    ("H01", "Thành phố Bình An", "X01", "Phường Bình An"),
    ("H02", "Thị xã Phú Mỹ", "X02", "Phường Phú Mỹ"),
    ("H03", "Huyện An Lạc", "X03", "Xã An Lạc"),
    ("H04", "Huyện Tân Thành", "X04", "Xã Tân Thành"),
    ("H05", "Huyện Đông Sơn", "X05", "Xã Đông Sơn"),
    ("H06", "Huyện Vĩnh Hòa", "X06", "Xã Vĩnh Hòa"),
    ("H07", "Huyện Long Hưng", "X07", "Xã Long Hưng"),
    ("H08", "Huyện Mỹ Lộc", "X08", "Xã Mỹ Lộc"),
    ("H09", "Huyện Thạch Bàn", "X09", "Xã Thạch Bàn"),
    ("H10", "Huyện Ea Sim", "X10", "Xã Ea Sim"),
]
AGENCIES = [
    ("CQ-BTC", "Ban Tổ chức Tỉnh ủy"),
    ("CQ-SNV", "Sở Nội vụ"),
    ("CQ-STC", "Sở Tài chính"),
    ("CQ-SGD", "Sở Giáo dục và Đào tạo"),
    ("CQ-SYT", "Sở Y tế"),
]

PROGRAMS = curricula.PROGRAMS

LECTURERS = [
    ("Nguyễn Thị Thu Hằng", "K-LLCS", "ThS."),
    ("Trần Văn Khoa", "K-LLCS", "TS."),
    ("Lê Minh Tuấn", "K-LLCS", "ThS."),
    ("Phạm Thị Lan Anh", "K-LLCS", "ThS."),
    ("Hoàng Đức Thắng", "K-XDD", "TS."),
    ("Võ Thị Mỹ Dung", "K-XDD", "ThS."),
    ("Đặng Quang Huy", "K-XDD", "ThS."),
    ("Bùi Thị Hồng Nhung", "K-XDD", "ThS."),
    ("Đỗ Văn Bình", "K-NNPL", "TS."),
    ("Huỳnh Thị Kim Oanh", "K-NNPL", "ThS."),
    ("Ngô Thanh Sơn", "K-NNPL", "ThS."),
    ("Dương Thị Ngọc Diệp", "K-NNPL", "ThS."),
]

# Demo sign-ins: (username, role, unit code or None, first name, last name). A name shows
# ``last_name`` first (accounts.User.get_full_name), so these offices' accounts read "Phòng
# Quản lý đào tạo", "Điều phối Thành phố Bình An".
USERS = [
    ("daotao", "training_office", None, "Quản lý đào tạo", "Phòng"),
    ("bgh", "school_board", None, "Giám hiệu", "Ban"),
    ("diaphuong.h01", "locality_coordinator", "H01", "Thành phố Bình An", "Điều phối"),
    ("diaphuong.h04", "locality_coordinator", "H04", "Huyện Tân Thành", "Điều phối"),
    ("bientap", "editor", None, "Biên tập", "Ban"),
]
EDITOR_USERNAME = "bientap"  # the author of the demo news
DEMO_PASSWORD = "daotao-demo-2020"

# Non-concentrated Trung cấp classes: (locality, funding, opening, closing, counted students).
TC_2018 = [  # closed during 2019: neither carried over into 2020 nor counted in it
    ("H01", "supported", D(2018, 3, 12), D(2019, 9, 20), 78),
    ("H03", "supported", D(2018, 4, 2), D(2019, 10, 25), 80),
    ("H05", "self_funded", D(2018, 6, 18), D(2019, 12, 20), 76),
    ("H07", "supported", D(2018, 7, 9), D(2019, 12, 31), 82),  # closes the day before 2020
]
TC_2019 = [  # carried over into 2020: 13 classes, 1.095 students
    ("H01", "supported", D(2019, 2, 25), D(2020, 8, 28), 85),
    ("H02", "supported", D(2019, 3, 11), D(2020, 9, 18), 83),
    ("H03", "self_funded", D(2019, 3, 25), D(2020, 10, 9), 86),
    ("H04", "supported", D(2019, 4, 8), D(2020, 10, 30), 84),
    ("H05", "supported", D(2019, 4, 22), D(2020, 11, 13), 82),
    ("H06", "self_funded", D(2019, 5, 13), D(2020, 12, 4), 87),
    ("H07", "supported", D(2019, 6, 3), D(2020, 12, 25), 85),
    ("H08", "supported", D(2019, 7, 1), D(2021, 1, 15), 84),
    ("H09", "self_funded", D(2019, 8, 5), D(2021, 2, 5), 83),
    ("H10", "supported", D(2019, 9, 9), D(2021, 3, 19), 86),
    ("H01", "self_funded", D(2019, 10, 7), D(2021, 4, 16), 84),
    ("H02", "self_funded", D(2019, 11, 4), D(2021, 5, 14), 81),
    ("H04", "self_funded", D(2019, 12, 31), D(2021, 6, 25), 85),  # opens on the last day of 2019
]
TC_2020 = [  # opened in 2020 under the plan: 07 supported (559), 06 self-funded (481)
    ("H01", "supported", D(2020, 1, 1), D(2021, 6, 30), 82),  # opens on the first day of 2020
    ("H02", "supported", D(2020, 2, 24), D(2021, 8, 20), 80),
    ("H03", "supported", D(2020, 3, 9), D(2021, 9, 10), 84),
    ("H04", "supported", D(2020, 5, 11), D(2021, 11, 12), 75),
    ("H05", "supported", D(2020, 6, 8), D(2021, 12, 10), 81),
    ("H06", "supported", D(2020, 7, 6), D(2022, 1, 14), 76),
    ("H07", "supported", D(2020, 8, 3), D(2022, 2, 18), 81),
    ("H01", "self_funded", D(2020, 3, 23), D(2021, 9, 24), 79),
    ("H02", "self_funded", D(2020, 4, 20), D(2021, 10, 22), 83),
    ("H03", "self_funded", D(2020, 9, 7), D(2022, 3, 11), 80),
    ("H05", "self_funded", D(2020, 10, 5), D(2022, 4, 8), 78),
    ("H08", "self_funded", D(2020, 11, 2), D(2022, 5, 6), 82),
    ("H10", "self_funded", D(2020, 12, 31), D(2022, 6, 24), 79),  # opens on the last day of 2020
]
TC_2020_CANCELLED = ("H09", "supported", D(2020, 9, 14), D(2022, 3, 4), 31)
# Across the 2025 reorganisation: held in Thành phố Bình An (H01, until 30/06/2025), still
# running; from 01/07/2025 the coordinator of Phường Bình An (X01, its successor) follows it,
# and the 2026 report counts it as carried over (docs/counting.md, "Units that were
# reorganised"). Built last, so that every earlier record and figure stays as it was.
TC_ACROSS_2025 = ("H01", "supported", D(2024, 10, 7), D(2026, 12, 25), 58)
# Concentrated Trung cấp classes at the school: counted, but not in the non-concentrated lines.
TC_CONCENTRATED = [
    ("supported", D(2019, 3, 4), D(2019, 9, 27), 62, 2019),
    ("supported", D(2020, 3, 2), D(2020, 9, 25), 65, 2020),
    ("self_funded", D(2020, 8, 10), D(2021, 2, 5), 58, 2020),
]

# Fostering classes per year: program -> list of (host, mode, opening, weeks, students).
# Hosts are the school (concentrated) or a locality (non-concentrated).


def _fostering(program: str, year: int, count: int, weeks: int, size: int, hosts: list[str]) -> list[tuple]:
    classes = []
    for index in range(count):
        month = 1 + (index * 11) // max(count, 1)
        day = 2 + (index * 7) % 20
        host = hosts[index % len(hosts)]
        mode = "concentrated" if host == "SCH" else "non_concentrated"
        classes.append((program, host, mode, D(year, month, day), weeks, size + (index * 3) % 9 - 4))
    return classes


FOSTERING = (
    _fostering("BD-CV", 2019, 10, 8, 50, ["SCH"])
    + _fostering("BD-CVC", 2019, 5, 8, 45, ["SCH"])
    + _fostering("BD-LDP", 2019, 2, 6, 40, ["SCH"])
    + _fostering("BD-BTX", 2019, 6, 4, 45, ["SCH", "H03", "H06"])
    + _fostering("BD-CV", 2020, 11, 8, 50, ["SCH"])
    + _fostering("BD-CVC", 2020, 7, 8, 45, ["SCH"])
    + _fostering("BD-LDP", 2020, 3, 6, 40, ["SCH"])
    + _fostering("BD-BTX", 2020, 8, 4, 45, ["SCH", "H02", "H05", "H09"])
)
# A fostering class that opens in the last week of 2020 and closes in 2021.
FOSTERING.append(("BD-CV", "SCH", "concentrated", D(2020, 12, 21), 8, 48))
FOSTERING_CANCELLED = ("BD-CV", "SCH", "concentrated", D(2020, 11, 9), 8, 20)

# Plan quotas of Trung cấp non-concentrated classes: (locality, funding, classes, students).
QUOTAS = {
    2019: [
        ("H01", "supported", 1, 80), ("H01", "self_funded", 1, 80),
        ("H02", "supported", 1, 80), ("H02", "self_funded", 1, 80),
        ("H03", "self_funded", 1, 85), ("H04", "supported", 1, 80), ("H04", "self_funded", 1, 80),
        ("H05", "supported", 1, 80), ("H06", "self_funded", 1, 85), ("H07", "supported", 1, 85),
        ("H08", "supported", 1, 80), ("H09", "self_funded", 1, 80), ("H10", "supported", 1, 85),
    ],
    2020: [
        ("H01", "supported", 1, 80), ("H01", "self_funded", 1, 80),
        ("H02", "supported", 1, 80), ("H02", "self_funded", 1, 80),
        ("H03", "supported", 1, 80), ("H03", "self_funded", 1, 80),
        ("H04", "supported", 1, 85),
        ("H05", "supported", 1, 80), ("H05", "self_funded", 1, 75),
        ("H06", "supported", 1, 90),
        ("H07", "supported", 2, 160),
        ("H08", "self_funded", 1, 80),
        ("H09", "supported", 1, 80),
        ("H10", "self_funded", 1, 80),
    ],
}  # fmt: skip
PLAN_DECISIONS = {2019: ("215-QĐ/TU", D(2018, 12, 20)), 2020: ("318-QĐ/TU", D(2019, 12, 18))}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lâm", "Mai"]  # fmt: skip
MIDDLE = {
    "male": ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Xuân", "Đình", "Ngọc"],
    "female": ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Thị Thu", "Thị Kim", "Hồng", "Diệu"],
}
GIVEN = {
    "male": ["An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Khánh", "Long", "Minh", "Nam", "Phong",
             "Quân", "Sơn", "Thắng", "Tuấn", "Việt", "Vinh", "Hiếu", "Toàn", "Ước", "Ửng", "Lộc"],
    "female": ["Anh", "Ánh", "Ảnh", "Châu", "Dung", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai",
               "Ngọc", "Nhung", "Phương", "Thảo", "Trang", "Uyên", "Yến", "Ê", "Diệp", "Oanh"],
}  # fmt: skip
ETHNICITIES = ["Kinh"] * 9 + ["Ê Đê"]
POSITIONS = [
    "Chuyên viên", "Phó Chủ tịch UBND xã", "Bí thư Đoàn xã", "Chủ tịch Hội Phụ nữ xã", "Công chức Văn phòng - Thống kê",
    "Phó Trưởng phòng", "Trưởng phòng", "Bí thư Chi bộ", "Phó Bí thư Đảng ủy xã", "Công chức Tư pháp - Hộ tịch",
]  # fmt: skip
NATIONAL_ID_PROVINCE = "052"


@dataclass
class PersonSpec:
    national_id: str
    full_name: str
    gender: str
    date_of_birth: dt.date
    ethnicity: str
    position: str
    locality: str | None
    agency: str | None
    phone: str


@dataclass
class CohortSpec:
    code: str
    name: str
    program: str
    mode: str
    funding: str
    host: str
    opening: dt.date
    closing: dt.date
    status: str
    plan_year: int
    # (national ID, enrollment status) in class order of creation
    enrollments: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DemoWorld:
    people: dict[str, PersonSpec]
    cohorts: list[CohortSpec]


class _People:
    """Deterministic fictional people with valid national IDs."""

    def __init__(self, seed: int = 2020):
        self.random = random.Random(seed)
        self.serial = 0
        self.people: dict[str, PersonSpec] = {}

    def new(self, locality: str | None, agency: str | None = None, min_age: int = 28) -> PersonSpec:
        rnd = self.random
        gender = rnd.choice(["male", "female"])
        name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE[gender])} {rnd.choice(GIVEN[gender])}"
        born = D(rnd.randint(1965, 2020 - min_age), rnd.randint(1, 12), rnd.randint(1, 28))
        self.serial += 1
        number = national_id.make(NATIONAL_ID_PROVINCE, gender, born, 100000 + self.serial * 37)
        person = PersonSpec(
            national_id=number,
            full_name=name,
            gender=gender,
            date_of_birth=born,
            ethnicity=rnd.choice(ETHNICITIES) if locality == "H10" else "Kinh",
            position=rnd.choice([p for p in POSITIONS if gender == "female" or "Phụ nữ" not in p]),
            locality=locality,
            agency=agency,
            phone=f"09{rnd.randint(10_000_000, 99_999_999)}",
        )
        self.people[number] = person
        return person


def _statuses(count: int, closed: bool, rnd: random.Random) -> list[str]:
    """Counted enrollment statuses: mostly completed (or studying), a few withdrawn or deferred."""
    main = "completed" if closed else "studying"
    statuses = [main] * count
    for index in rnd.sample(range(count), k=min(count, rnd.randint(0, 3))):
        statuses[index] = rnd.choice(["withdrawn", "deferred"])
    return statuses


def build() -> DemoWorld:
    people = _People()
    rnd = random.Random(19)
    cohorts: list[CohortSpec] = []
    district_names = {code: name for code, name, _c, _n in DISTRICTS}

    def add(spec: CohortSpec, students: list[PersonSpec], statuses: list[str], cancelled_extra: int = 0):
        spec.enrollments = [(p.national_id, s) for p, s in zip(students, statuses, strict=True)]
        for _ in range(cancelled_extra):
            spec.enrollments.append((people.new(spec.host if spec.host != "SCH" else None).national_id, "cancelled"))
        cohorts.append(spec)

    counters: dict[tuple[str, int], int] = {}

    def code_for(prefix: str, year: int) -> str:
        counters[(prefix, year)] = counters.get((prefix, year), 0) + 1
        return f"{prefix}-{year}-{counters[(prefix, year)]:02d}"

    def district_class(locality, funding, opening, closing, status, plan_year, note="") -> CohortSpec:
        """A non-concentrated Trung cấp class held in a district."""
        return CohortSpec(
            code=code_for(f"TC{locality}", opening.year),
            name=f"Lớp Trung cấp LLCT - HC {district_names[locality]} khóa {opening.year}{note}",
            program="TC-LLCT-HC",
            mode="non_concentrated",
            funding=funding,
            host=locality,
            opening=opening,
            closing=closing,
            status=status,
            plan_year=plan_year,
        )

    graduates: list[PersonSpec] = []
    for batch, plan_year in ((TC_2018, 2018), (TC_2019, 2019), (TC_2020, 2020)):
        for locality, funding, opening, closing, size in batch:
            students = [people.new(locality) for _ in range(size)]
            if plan_year == 2018:
                graduates.extend(students[:6])
            spec = district_class(locality, funding, opening, closing, "closed", plan_year)
            add(spec, students, _statuses(size, True, rnd), cancelled_extra=rnd.randint(0, 2))

    locality, funding, opening, closing, size = TC_2020_CANCELLED
    add(
        district_class(locality, funding, opening, closing, "cancelled", 2020, " (không mở được)"),
        [people.new(locality) for _ in range(size)],
        ["cancelled"] * size,
    )

    district_codes = [code for code, *_ in DISTRICTS]
    for funding, opening, closing, size, plan_year in TC_CONCENTRATED:
        students = [people.new(rnd.choice(district_codes)) for _ in range(size)]
        add(
            CohortSpec(
                code=code_for("TCTT", opening.year),
                name=f"Lớp Trung cấp LLCT - HC tập trung khóa {opening.year}",
                program="TC-LLCT-HC",
                mode="concentrated",
                funding=funding,
                host="SCH",
                opening=opening,
                closing=closing,
                status="closed",
                plan_year=plan_year,
            ),
            students,
            _statuses(size, True, rnd),
        )

    program_names = {code: name for code, name, *_ in PROGRAMS}
    agency_codes = [code for code, _ in AGENCIES]

    def fostering_class(program, host, mode, opening, weeks, size, status):
        students = []
        for _ in range(size):
            if graduates and rnd.random() < 0.1:
                students.append(graduates.pop())  # a Trung cấp graduate studying again
            elif program in ("BD-CV", "BD-CVC", "BD-LDP") and rnd.random() < 0.4:
                students.append(people.new(None, agency=rnd.choice(agency_codes)))
            else:
                students.append(people.new(host if host != "SCH" else rnd.choice(district_codes)))
        closing = opening + dt.timedelta(weeks=weeks)
        number = counters.get((program, opening.year), 0) + 1
        add(
            CohortSpec(
                code=code_for(program, opening.year),
                name=f"Lớp {program_names[program]} khóa {number:02d}/{opening.year}",
                program=program,
                mode=mode,
                funding="supported" if program != "BD-CVC" else "self_funded",
                host=host,
                opening=opening,
                closing=closing,
                status=status,
                plan_year=opening.year,
            ),
            students,
            ["cancelled"] * size if status == "cancelled" else _statuses(size, True, rnd),
            cancelled_extra=0 if status == "cancelled" else rnd.randint(0, 1),
        )

    for row in FOSTERING:
        fostering_class(*row, status="closed")
    fostering_class(*FOSTERING_CANCELLED, status="cancelled")

    locality, funding, opening, closing, size = TC_ACROSS_2025
    add(
        district_class(locality, funding, opening, closing, "open", opening.year),
        [people.new(locality) for _ in range(size)],
        _statuses(size, False, rnd),
    )
    return DemoWorld(people=people.people, cohorts=cohorts)
