"""Questionnaires shipped with DaoTao, following the aspects that Thông tư 10/2017/TT-BNV
asks to evaluate (programme, lecturers, facilities, organisation; the learners; the
effect after the course). Items are rated 1-10 as the circular scores them. The school
edits them (a new version) or builds its own; ``install_evaluation_presets`` adds the
missing ones and never changes one that exists."""

from __future__ import annotations

from django.db import transaction

from daotao.surveys.models import EvaluationRules, Question, QuestionKind, Questionnaire, Section
from daotao.surveys.services import version_draft

R, T, S, M, N = QuestionKind.RATING, QuestionKind.TEXT, QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.NUMBER

# title -> (introduction, [(section, [(kind, text, required, choices)])])
PRESETS: dict[str, tuple[str, list]] = {
    "Phiếu khảo sát nhu cầu học tập (đầu khóa)": (
        "Phiếu giúp Nhà trường nắm nhu cầu và mong muốn của học viên trước khi khóa học bắt đầu.",
        [
            (
                "Thông tin chung",
                [
                    (N, "Số năm công tác của đồng chí", False, []),
                    (
                        S,
                        "Đồng chí đã từng học lớp lý luận chính trị nào trước đây chưa?",
                        True,
                        ["Chưa", "Sơ cấp", "Khác"],
                    ),
                ],
            ),
            (
                "Nhu cầu học tập",
                [
                    (R, "Mức độ cần thiết của khóa học đối với công việc hiện tại", True, []),
                    (
                        M,
                        "Nội dung đồng chí mong được học sâu hơn",
                        False,
                        [
                            "Lý luận cơ sở",
                            "Xây dựng Đảng",
                            "Nhà nước và pháp luật",
                            "Kỹ năng lãnh đạo, quản lý",
                            "Tình hình địa phương",
                        ],
                    ),
                    (T, "Vấn đề mới, khó ở cơ quan, địa phương mà đồng chí muốn được trao đổi", False, []),
                ],
            ),
        ],
    ),
    "Phiếu đánh giá khóa học (học viên)": (
        "Theo Thông tư 10/2017/TT-BNV, mỗi nội dung được chấm từ 1 đến 10 điểm. "
        "Phiếu bỏ trống quá 5% số nội dung không hợp lệ.",
        [
            (
                "Chương trình",
                [
                    (R, "Mục tiêu, nội dung chương trình phù hợp với yêu cầu công việc", True, []),
                    (R, "Thời lượng, cơ cấu các phần học hợp lý", True, []),
                    (R, "Tài liệu học tập đầy đủ, cập nhật", True, []),
                ],
            ),
            (
                "Giảng viên",
                [
                    (R, "Kiến thức chuyên môn, thực tiễn của giảng viên", True, []),
                    (R, "Phương pháp giảng dạy tích cực, gắn với thực tiễn", True, []),
                ],
            ),
            (
                "Cơ sở vật chất",
                [
                    (R, "Phòng học, trang thiết bị giảng dạy", True, []),
                    (R, "Thư viện, tài liệu tham khảo, nơi ăn nghỉ (nếu có)", True, []),
                ],
            ),
            (
                "Tổ chức, quản lý lớp học",
                [
                    (R, "Công tác tổ chức, quản lý, phục vụ lớp học", True, []),
                    (R, "Nghiên cứu thực tế được tổ chức hiệu quả", True, []),
                ],
            ),
            ("Ý kiến khác", [(T, "Đề xuất để khóa học sau tốt hơn", False, [])]),
        ],
    ),
    "Phiếu đánh giá giảng viên (học viên)": (
        "Phiếu ẩn danh; kết quả chỉ hiển thị khi đủ số phiếu tối thiểu.",
        [
            (
                "",
                [
                    (R, "Giảng viên chuẩn bị bài giảng chu đáo, đúng mục tiêu học phần", True, []),
                    (R, "Nội dung bài giảng cập nhật, liên hệ thực tiễn địa phương", True, []),
                    (R, 'Giảng viên sử dụng phương pháp giảng dạy tích cực ("3 tăng, 3 giảm")', True, []),
                    (R, "Giảng viên khuyến khích học viên trao đổi, thảo luận", True, []),
                    (R, "Giảng viên đảm bảo thời gian, kế hoạch giảng dạy", True, []),
                    (T, "Góp ý cho giảng viên", False, []),
                ],
            )
        ],
    ),
    "Phiếu học viên tự đánh giá kết quả học tập": (
        "Học viên tự đánh giá mức độ tiếp thu và khả năng vận dụng sau từng khối kiến thức.",
        [
            (
                "",
                [
                    (R, "Mức độ tiếp thu kiến thức của bản thân", True, []),
                    (R, "Khả năng vận dụng vào giải quyết tình huống thực tiễn ở cơ quan, địa phương", True, []),
                    (R, "Ý thức, thái độ học tập và chấp hành nội quy của bản thân", True, []),
                    (T, "Khó khăn trong học tập cần Nhà trường hỗ trợ", False, []),
                ],
            )
        ],
    ),
    "Phiếu khảo sát học viên sau khóa học": (
        "Khảo sát hiệu quả của khóa học sau khi đồng chí trở lại công tác.",
        [
            (
                "Hiệu quả sau đào tạo",
                [
                    (R, "Kiến thức của khóa học giúp ích cho công việc hiện tại", True, []),
                    (R, "Kỹ năng được vận dụng trong lãnh đạo, quản lý, tham mưu", True, []),
                    (
                        S,
                        "Sau khóa học, vị trí công tác của đồng chí",
                        True,
                        ["Không thay đổi", "Được bổ nhiệm, đề bạt", "Được luân chuyển", "Khác"],
                    ),
                    (T, "Nội dung cần bổ sung vào chương trình", False, []),
                ],
            )
        ],
    ),
    "Phiếu khảo sát cơ quan quản lý sau khóa học": (
        "Cơ quan, đơn vị quản lý đánh giá cán bộ sau khi được cử đi học.",
        [
            (
                "Đánh giá của cơ quan quản lý",
                [
                    (R, "Mức độ cán bộ vận dụng kiến thức vào công việc", True, []),
                    (R, "Sự tiến bộ về năng lực lãnh đạo, quản lý, tham mưu", True, []),
                    (R, "Tinh thần, thái độ trách nhiệm trong công tác", True, []),
                    (S, "Cơ quan có tiếp tục cử cán bộ đi học tại Trường?", True, ["Có", "Chưa xác định", "Không"]),
                    (T, "Đề xuất với Nhà trường", False, []),
                ],
            )
        ],
    ),
}


@transaction.atomic
def install_presets() -> list[Questionnaire]:
    """Add the shipped questionnaires that do not exist yet (by title); returns those added."""
    rules = EvaluationRules.current()
    added = []
    for title, (introduction, sections) in PRESETS.items():
        if Questionnaire.objects.filter(title=title).exists():
            continue
        questionnaire = Questionnaire.objects.create(title=title, description=introduction)
        version = version_draft(questionnaire=questionnaire)
        order = 0
        for section_order, (section_title, questions) in enumerate(sections, start=1):
            section = (
                Section.objects.create(version=version, title=section_title, order=section_order)
                if section_title
                else None
            )
            for kind, text, required, choices in questions:
                order += 1
                question = Question(
                    version=version,
                    section=section,
                    order=order,
                    text=text,
                    kind=kind,
                    required=required,
                    choices=choices,
                )
                if kind == R:
                    question.scale_min, question.scale_max = rules.scale_min, rules.scale_max
                question.full_clean()
                question.save()
        added.append(questionnaire)
    return added
