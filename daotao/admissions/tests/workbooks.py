"""Nomination workbooks for the import tests and the benchmark, built with openpyxl as a
user's Excel would save them: good ones, and the corpus of broken ones."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random

import openpyxl

from daotao.lib import national_id

HOSO = [
    "Mã chương trình", "Hình thức", "Kinh phí", "Mã địa phương", "Mã cơ quan", "Số CCCD", "Họ và tên",
    "Ngày sinh", "Giới tính", "Dân tộc", "Điện thoại", "Email", "Đảng viên", "Ngày vào Đảng",
    "Trình độ học vấn", "Trình độ lý luận chính trị", "Chức vụ", "Mã loại chức vụ", "Đơn vị công tác", "Ngạch",
    "Quy hoạch", "Mã chức vụ quy hoạch", "Xếp loại năm trước", "Xếp loại năm liền trước", "Hồ sơ đã nộp",
    "Ghi chú",
]  # fmt: skip
TC_DOCUMENTS = "QD-CU, SYLL, BANG, SUC-KHOE, DANG-VIEN, DANH-GIA"

_serial = itertools.count(700_000)


def cccd(born: dt.date = dt.date(1986, 3, 9), gender: str = "male", province: str = "052") -> str:
    """A valid national ID, new on each call."""
    return national_id.make(province, gender, born, next(_serial))


def nomination(name: str = "Nguyễn Văn An", **cells) -> dict:
    """A row, by header, of a candidate who meets every Trung cấp standard with a complete
    dossier; keyword arguments override cells (``born``, ``gender`` and ``nid`` shape the
    national ID)."""
    born = cells.pop("born", dt.date(1986, 3, 9))
    gender = cells.pop("gender", "male")
    row = {
        "Mã chương trình": "TC-LLCT-HC",
        "Hình thức": "Không tập trung",
        "Kinh phí": "Được hỗ trợ kinh phí",
        "Mã địa phương": "H01",
        "Mã cơ quan": "",
        "Số CCCD": cells.pop("nid", None) or cccd(born, gender),
        "Họ và tên": name,
        "Ngày sinh": dt.datetime.combine(born, dt.time()),
        "Giới tính": "Nam" if gender == "male" else "Nữ",
        "Dân tộc": "Kinh",
        "Điện thoại": "0912345678",
        "Email": "",
        "Đảng viên": "Chính thức",
        "Ngày vào Đảng": "19/05/2012",
        "Trình độ học vấn": "Đại học",
        "Trình độ lý luận chính trị": "Sơ cấp",
        "Chức vụ": "Phó Trưởng phòng Văn hóa - Xã hội",
        "Mã loại chức vụ": "PHO-PHONG",
        "Đơn vị công tác": "UBND phường Nam Sơn",
        "Ngạch": "Chuyên viên",
        "Quy hoạch": "Không",
        "Mã chức vụ quy hoạch": "",
        "Xếp loại năm trước": "Hoàn thành tốt nhiệm vụ",
        "Xếp loại năm liền trước": "Hoàn thành xuất sắc nhiệm vụ",
        "Hồ sơ đã nộp": TC_DOCUMENTS,
        "Ghi chú": "",
    }
    row.update(cells)
    return row


def workbook(
    rows: list[dict], *, columns: list | None = None, sheet: str = "HoSo", title_rows: int = 0, edit=None
) -> bytes:
    """An .xlsx with the nomination sheet. ``columns`` chooses the columns and their order:
    each item is a standard header, or a pair (header as written, standard header whose
    values it holds). ``edit(worksheet)`` may change the sheet before it is saved."""
    book = openpyxl.Workbook()
    worksheet = book.active
    worksheet.title = sheet
    pairs = [
        column if isinstance(column, tuple) else (column, column) for column in (HOSO if columns is None else columns)
    ]
    for _ in range(title_rows):
        worksheet.append(["DANH SÁCH CÁN BỘ ĐỀ NGHỊ CỬ ĐI HỌC"])
    worksheet.append([written for written, _key in pairs])
    for row in rows:
        worksheet.append([row.get(key) for _written, key in pairs])
    if edit:
        edit(worksheet)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thành", "Công"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Lan", "Linh", "Mai", "Nam",
         "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Yến"]  # fmt: skip


def fictional_rows(count: int, localities: list[str], *, seed: int = 2026) -> list[dict]:
    """``count`` fictional candidates (seeded), spread over ``localities``: most meet the
    Trung cấp standards, some miss a document, a rating or the age."""
    chance = random.Random(seed)
    rows = []
    for index in range(count):
        gender = chance.choice(("male", "female"))
        born = dt.date(chance.randint(1968, 1998), chance.randint(1, 12), chance.randint(1, 28))
        middle = MIDDLE_MALE if gender == "male" else MIDDLE_FEMALE
        name = f"{chance.choice(FAMILY)} {chance.choice(middle)} {chance.choice(GIVEN)}"
        documents = TC_DOCUMENTS if chance.random() < 0.85 else "QD-CU, SYLL"
        rows.append(
            nomination(
                name,
                born=born,
                gender=gender,
                nid=national_id.make("052", gender, born, 100_000 + index),
                **{
                    "Mã địa phương": localities[index % len(localities)],
                    "Hình thức": chance.choice(("Tập trung", "Không tập trung")),
                    "Kinh phí": chance.choice(("Được hỗ trợ kinh phí", "Tự túc kinh phí")),
                    "Điện thoại": f"09{chance.randint(10_000_000, 99_999_999)}",
                    "Ngày vào Đảng": dt.datetime(born.year + 25, 5, 19),
                    "Xếp loại năm trước": chance.choice(("Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ")),
                    "Hồ sơ đã nộp": documents,
                },
            )
        )
    return rows
