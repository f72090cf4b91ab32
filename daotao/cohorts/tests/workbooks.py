"""Workbooks for the import tests, built with openpyxl as a user's Excel would save them."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import openpyxl

from daotao.lib import national_id

LOP = [
    "Mã lớp", "Tên lớp", "Mã chương trình", "Hình thức", "Kinh phí", "Mã địa phương", "Địa điểm",
    "Ngày khai giảng", "Ngày bế giảng", "Trạng thái", "Năm kế hoạch",
]  # fmt: skip
HOCVIEN = [
    "Mã lớp", "Số CCCD", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Điện thoại", "Email", "Chức vụ",
    "Đơn vị công tác", "Mã địa phương", "Mã cơ quan", "Trạng thái",
]  # fmt: skip

_serial = itertools.count(500_000)


def cccd(born: dt.date = dt.date(1985, 5, 17), gender: str = "male", province: str = "052") -> str:
    """A valid national ID, new on each call."""
    return national_id.make(province, gender, born, next(_serial))


def cohort_row(code: str = "TC-01", **cells) -> dict:
    """A class row, by header; keyword arguments override cells (use the header names via ``cells``)."""
    row = {
        "Mã lớp": code,
        "Tên lớp": f"Lớp Trung cấp LLCT-HC {code}",
        "Mã chương trình": "TC-LLCT-HC",
        "Hình thức": "Không tập trung",
        "Kinh phí": "Được hỗ trợ kinh phí",
        "Mã địa phương": "H01",
        "Địa điểm": "Trung tâm Chính trị thành phố",
        "Ngày khai giảng": dt.datetime(2020, 3, 2),
        "Ngày bế giảng": "30/06/2021",
        "Trạng thái": "Đang học",
        "Năm kế hoạch": 2020,
    }
    row.update(cells)
    return row


def student_row(cohort: str = "TC-01", name: str = "Nguyễn Văn An", **cells) -> dict:
    born = cells.pop("born", dt.date(1985, 5, 17))
    gender = cells.pop("gender", "male")
    row = {
        "Mã lớp": cohort,
        "Số CCCD": cells.pop("nid", None) or cccd(born, gender),
        "Họ và tên": name,
        "Ngày sinh": dt.datetime.combine(born, dt.time()),
        "Giới tính": "Nam" if gender == "male" else "Nữ",
        "Dân tộc": "Kinh",
        "Điện thoại": "0912345678",
        "Email": "",
        "Chức vụ": "Chuyên viên",
        "Đơn vị công tác": "UBND phường Nam Sơn",
        "Mã địa phương": "X0101",
        "Mã cơ quan": "",
        "Trạng thái": "",
    }
    row.update(cells)
    return row


def workbook(
    cohorts: list[dict],
    students: list[dict],
    *,
    lop: list | None = None,
    hocvien: list | None = None,
    sheets: tuple[str | None, str | None] = ("Lop", "HocVien"),
    title_rows: int = 0,
) -> bytes:
    """An .xlsx with the two sheets (a sheet named None is left out).

    ``lop`` and ``hocvien`` choose the columns and their order: each item is a standard
    header, or a pair (header as written, standard header whose values it holds).
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, columns, rows in ((sheets[0], lop or LOP, cohorts), (sheets[1], hocvien or HOCVIEN, students)):
        if title is None:
            continue
        pairs = [column if isinstance(column, tuple) else (column, column) for column in columns]
        sheet = book.create_sheet(title)
        for _ in range(title_rows):
            sheet.append(["DANH SÁCH"])
        sheet.append([written for written, _key in pairs])
        for row in rows:
            sheet.append([row.get(key) for _written, key in pairs])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
