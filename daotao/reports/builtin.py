"""The built-in report templates, as data (installed by a migration, restored by load_demo).

The wording is DaoTao's own; the figures follow the conventions of the schools' yearly
coordination reports (``07 lớp``, ``1.040 học viên``).
"""

COORDINATION_YEARLY = {
    "code": "coordination-yearly",
    "name": "Báo cáo phối hợp đào tạo, bồi dưỡng với các địa phương (năm)",
    "title": "Báo cáo kết quả phối hợp đào tạo, bồi dưỡng cán bộ năm {year}",
    "summary": (
        "Năm {year}, Nhà trường phối hợp với các địa phương mở {tc_opened.classes} lớp Trung cấp lý luận "
        "chính trị - hành chính hệ không tập trung theo chỉ tiêu kế hoạch với {tc_opened.students} học viên; "
        "trong đó {tc_supported.classes} lớp ({tc_supported.students} học viên) được hỗ trợ kinh phí đào tạo "
        "và {tc_self_funded.classes} lớp ({tc_self_funded.students} học viên) tự túc kinh phí. "
        "Cùng với {tc_carried_over.classes} lớp ({tc_carried_over.students} học viên) chuyển qua từ năm "
        "{prev_year}, trong năm Nhà trường quản lý {tc_active.classes} lớp với tổng số {tc_active.students} "
        "học viên. Ngoài ra, Nhà trường mở {bd_cv.classes} lớp bồi dưỡng ngạch chuyên viên và chuyên viên "
        "chính, {bd_ldp.classes} lớp bồi dưỡng lãnh đạo cấp phòng và {bd_btx.classes} lớp bồi dưỡng Bí thư, "
        "Phó Bí thư Thường trực cấp xã. Số địa phương chưa đạt chỉ tiêu tuyển sinh: {quota.unmet_count} "
        "({quota.unmet_names})."
    ),
    "lines": [
        {
            "key": "tc_opened",
            "label": "Lớp Trung cấp LLCT - HC không tập trung mở theo chỉ tiêu kế hoạch năm {year}",
            "relation": "opened",
            "program_codes": "TC-LLCT-HC",
            "mode": "non_concentrated",
        },
        {
            "key": "tc_supported",
            "label": "Trong đó: được hỗ trợ kinh phí đào tạo",
            "level": 1,
            "relation": "opened",
            "program_codes": "TC-LLCT-HC",
            "mode": "non_concentrated",
            "funding": "supported",
        },
        {
            "key": "tc_self_funded",
            "label": "Trong đó: tự túc kinh phí",
            "level": 1,
            "relation": "opened",
            "program_codes": "TC-LLCT-HC",
            "mode": "non_concentrated",
            "funding": "self_funded",
        },
        {
            "key": "tc_carried_over",
            "label": "Lớp Trung cấp LLCT - HC không tập trung chuyển qua từ năm {prev_year}",
            "relation": "carried_over",
            "program_codes": "TC-LLCT-HC",
            "mode": "non_concentrated",
        },
        {
            "key": "tc_active",
            "label": "Tổng số lớp Trung cấp LLCT - HC không tập trung trong năm {year}",
            "relation": "active",
            "program_codes": "TC-LLCT-HC",
            "mode": "non_concentrated",
        },
        {
            "key": "bd_cv",
            "label": "Lớp bồi dưỡng ngạch chuyên viên và chuyên viên chính mở trong năm",
            "relation": "opened",
            "program_codes": "BD-CV, BD-CVC",
        },
        {
            "key": "bd_ldp",
            "label": "Lớp bồi dưỡng lãnh đạo cấp phòng mở trong năm",
            "relation": "opened",
            "program_codes": "BD-LDP",
        },
        {
            "key": "bd_btx",
            "label": "Lớp bồi dưỡng Bí thư, Phó Bí thư Thường trực cấp xã mở trong năm",
            "relation": "opened",
            "program_codes": "BD-BTX",
        },
    ],
}

# For a report over any dates ("tháng 3 và 4", "quý I", "6 tháng đầu năm"): no quota, which
# is yearly, and the classes carried over into the period told apart by whether they still
# run at its end.
_TC = {"program_codes": "TC-LLCT-HC", "mode": "non_concentrated"}
COORDINATION_PERIOD = {
    "code": "coordination-period",
    "name": "Báo cáo phối hợp đào tạo, bồi dưỡng với các địa phương (theo kỳ)",
    "title": "Báo cáo kết quả phối hợp đào tạo, bồi dưỡng cán bộ {period}",
    "summary": (
        "Trong kỳ báo cáo ({from} - {to}), Nhà trường phối hợp với các địa phương mở {tc_opened.classes} lớp "
        "Trung cấp lý luận chính trị - hành chính hệ không tập trung với {tc_opened.students} học viên. "
        "Cùng với {tc_carried_over.classes} lớp ({tc_carried_over.students} học viên) chuyển qua từ trước kỳ "
        "báo cáo, trong kỳ Nhà trường quản lý {tc_active.classes} lớp với tổng số {tc_active.students} học "
        "viên; {tc_closed.classes} lớp ({tc_closed.students} học viên) kết thúc khóa học trong kỳ, "
        "{tc_running.classes} lớp chuyển qua từ trước kỳ vẫn đang học đến ngày {to}. Ngoài ra, Nhà trường "
        "mở {bd_cv.classes} lớp bồi dưỡng ngạch chuyên viên và chuyên viên chính, {bd_ldp.classes} lớp bồi "
        "dưỡng lãnh đạo cấp phòng và {bd_btx.classes} lớp bồi dưỡng Bí thư, Phó Bí thư Thường trực cấp xã."
    ),
    "lines": [
        {
            "key": "tc_opened",
            "label": "Lớp Trung cấp LLCT - HC không tập trung mở trong kỳ",
            "relation": "opened",
            **_TC,
        },
        {
            "key": "tc_carried_over",
            "label": "Lớp Trung cấp LLCT - HC không tập trung chuyển qua từ trước kỳ",
            "relation": "carried_over",
            **_TC,
        },
        {
            "key": "tc_running",
            "label": "Trong đó: vẫn đang học đến cuối kỳ",
            "level": 1,
            "relation": "carried_over_running",
            **_TC,
        },
        {
            "key": "tc_active",
            "label": "Tổng số lớp Trung cấp LLCT - HC không tập trung trong kỳ",
            "relation": "active",
            **_TC,
        },
        {
            "key": "tc_closed",
            "label": "Lớp Trung cấp LLCT - HC không tập trung kết thúc trong kỳ",
            "relation": "closed",
            **_TC,
        },
        *(
            {**line, "label": line["label"].replace("mở trong năm", "mở trong kỳ")}
            for line in COORDINATION_YEARLY["lines"][5:]
        ),
    ],
}

BUILTIN_TEMPLATES = [COORDINATION_YEARLY, COORDINATION_PERIOD]


def install(report_template_model, report_line_model, reset: bool = False, codes: tuple[str, ...] = ()) -> None:
    """Create the built-in templates that are missing (or restore them, with ``reset``);
    only those of ``codes`` if given (a migration installs the ones its models can hold).

    Takes the model classes so that a migration can pass its historical models.
    """
    for data in BUILTIN_TEMPLATES:
        if codes and data["code"] not in codes:
            continue
        template, created = report_template_model.objects.get_or_create(
            code=data["code"],
            defaults={"name": data["name"], "title": data["title"], "summary": data["summary"], "is_builtin": True},
        )
        if not created and not reset:
            continue
        if reset:
            for attr in ("name", "title", "summary"):
                setattr(template, attr, data[attr])
            template.is_builtin = True
            template.save()
            template.lines.all().delete()
        for order, line in enumerate(data["lines"], start=1):
            report_line_model.objects.create(template=template, order=order * 10, **line)
