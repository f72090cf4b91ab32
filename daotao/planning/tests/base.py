"""The planning test world: the admissions world (plan 2026 approved, TC quotas for H01
and H02) and a builder of quota workbooks."""

from __future__ import annotations

import io

from openpyxl import Workbook

from daotao.admissions.tests.world import AdmissionsTestCase

HEADER = ("Mã chương trình", "Mã địa phương", "Kinh phí", "Số lớp", "Số học viên")


def workbook(*rows, header=HEADER, sheet="ChiTieu", title=None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    if title:
        ws.append((title,))
    if header:
        ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class PlanningTestCase(AdmissionsTestCase):
    pass
