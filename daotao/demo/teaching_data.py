"""Fictional content of the demo's teaching year: the topic bank of local issues, essay
texts (one a near-copy of an essay from an earlier year) and the people who teach and
study in the demo class taken from timetable to diplomas."""

import datetime as dt

D = dt.date

# The finished class: non-concentrated Trung cấp at the political centre of Phường Phú Mỹ,
# after the 2025 reorganisation, from timetable to diplomas.
TC_CODE = "TCX02-2025-01"
TC_HOST = "TTCT-X02"
TC_OPENING = D(2025, 8, 4)
TC_CLOSING = D(2026, 6, 26)
TC_GRADUATION = ("58-QĐ/TCT", D(2026, 6, 22), "Nguyễn Văn Thành")
TC_STUDENTS = 30
TC_ESSAYS = 8  # the first students of the class write an essay, the others sit the exam

# A fostering class whose certificates were issued, one lost and confirmed.
CV_CODE = "CV-2026-03"
CV_OPENING = D(2026, 9, 7)
CV_CLOSING = D(2026, 10, 30)
CV_DECISION = ("112-QĐ/TCT", D(2026, 10, 30), "Nguyễn Văn Thành")
CV_STUDENTS = 20

# The blank forms (phôi) received before the credentials were issued: (kind, program code or
# None for any program, series, forms, received on, delivery note). They are numbered on from
# the register's own serials: from 1 in a new demo, so the serials are those it always had.
BLANK_FORM_BATCHES = [
    ("diploma", "TC-LLCT-HC", "TC", 100, D(2026, 6, 24), "PX-12/2026, Nhà in Tài chính"),
    ("certificate", None, "BD", 200, D(2026, 10, 20), "PX-31/2026, Nhà in Tài chính"),
    ("confirmation", None, "XN", 50, D(2026, 10, 20), "PX-31/2026, Nhà in Tài chính"),
]
# Blanks taken out of stock unused, the last of their series' batch: (series, state, reason).
SPARE_FORMS = [
    ("TC", "spoiled", "In thử khi căn lề máy in mới."),
    ("BD", "voided", "Phôi bị rách khi vận chuyển, đã lập biên bản hủy."),
]

LECTURER_USERNAME = "giangvien.hang"  # Nguyễn Thị Thu Hằng, Khoa Lý luận cơ sở
LECTURER_NAME = "Nguyễn Thị Thu Hằng"
STUDENT_USERNAME = "hocvien.demo"

# Which faculty teaches each block of the Trung cấp curriculum.
BLOCK_FACULTY = {"I": "K-LLCS", "II": "K-XDD", "III": "K-NNPL", "IV": "K-LLCS", "V": "K-XDD", "VI": "K-NNPL"}

# (locality code, year, title, description)
LOCAL_ISSUES = [
    (
        "X02",
        2025,
        "Nâng cao chất lượng sinh hoạt chi bộ thôn, tổ dân phố sau sắp xếp đơn vị hành chính",
        "Nhiều chi bộ mới được hợp nhất; nội dung sinh hoạt còn hình thức, tỷ lệ đảng viên tham gia chưa cao.",
    ),
    (
        "X02",
        2025,
        "Chuyển đổi số trong giải quyết thủ tục hành chính ở phường mới thành lập",
        "Người dân chưa quen dịch vụ công trực tuyến; cán bộ một cửa thiếu kỹ năng số.",
    ),
    (
        "X02",
        2025,
        "Bố trí, sử dụng đội ngũ cán bộ, công chức cấp xã dôi dư sau hợp nhất",
        "Số lượng cấp phó vượt định mức; cần lộ trình sắp xếp và chính sách hỗ trợ.",
    ),
    (
        "X01",
        2025,
        "Quản lý trật tự xây dựng đô thị ở phường Bình An",
        "Vi phạm trật tự xây dựng tái diễn ở các khu dân cư mới.",
    ),
    (
        "X03",
        2025,
        "Phát triển sản phẩm OCOP gắn với xây dựng nông thôn mới nâng cao ở xã An Lạc",
        "Sản phẩm còn nhỏ lẻ, thiếu liên kết tiêu thụ.",
    ),
    (
        "X10",
        2025,
        "Giữ gìn bản sắc văn hóa đồng bào dân tộc thiểu số ở xã Ea Sim",
        "Lễ hội truyền thống mai một; thanh niên ít tham gia.",
    ),
    (
        "X04",
        2026,
        "Phòng, chống tín dụng đen ở nông thôn",
        "Người dân vay nặng lãi qua ứng dụng trực tuyến; cần phối hợp giữa chính quyền và đoàn thể.",
    ),
]

# The earlier essay (an enrollment of a 2020 class of Thị xã Phú Mỹ) and the new essay that
# repeats it almost word for word, with the district changed to the new ward.
OLD_ESSAY_CLASS_LOCALITY = "H02"
OLD_ESSAY_TITLE = "Nâng cao chất lượng sinh hoạt chi bộ ở các thôn, khu phố trên địa bàn thị xã Phú Mỹ hiện nay"
OLD_ESSAY_TEXT = (
    "Sinh hoạt chi bộ là hình thức cơ bản để lãnh đạo, giáo dục, quản lý đảng viên. Những năm qua, chất lượng "
    "sinh hoạt chi bộ ở các thôn, khu phố trên địa bàn thị xã Phú Mỹ đã có chuyển biến, song nội dung sinh hoạt "
    "còn chung chung, nặng về thông báo tình hình, ít thảo luận những vấn đề cụ thể của địa phương. Tỷ lệ đảng "
    "viên dự sinh hoạt chưa cao, nhất là đảng viên cao tuổi và đảng viên đi làm ăn xa. Nguyên nhân chủ yếu là "
    "năng lực của một bộ phận bí thư chi bộ còn hạn chế, việc chuẩn bị nội dung chưa chu đáo, cấp ủy cấp trên "
    "chưa thường xuyên dự và hướng dẫn. Tiểu luận đề xuất ba nhóm giải pháp: bồi dưỡng kỹ năng chủ trì sinh hoạt "
    "cho bí thư chi bộ; đổi mới nội dung theo hướng chuyên đề gắn với nhiệm vụ phát triển kinh tế - xã hội của "
    "thôn, khu phố; tăng cường kiểm tra, giám sát và biểu dương chi bộ sinh hoạt có chất lượng."
)
NEW_ESSAY_TITLE = "Nâng cao chất lượng sinh hoạt chi bộ ở các thôn, tổ dân phố trên địa bàn phường Phú Mỹ hiện nay"
NEW_ESSAY_TEXT = OLD_ESSAY_TEXT.replace("khu phố", "tổ dân phố").replace("thị xã Phú Mỹ", "phường Phú Mỹ")

# Essays of the other writers: (title from the bank or own, text).
OTHER_ESSAYS = [
    (
        "Chuyển đổi số trong giải quyết thủ tục hành chính ở phường mới thành lập",
        "Sau khi thành lập phường Phú Mỹ, bộ phận một cửa tiếp nhận khối lượng hồ sơ tăng gấp đôi. Tiểu luận phân "
        "tích thực trạng dịch vụ công trực tuyến, chỉ ra những khó khăn về hạ tầng, kỹ năng số của cán bộ và thói "
        "quen của người dân, từ đó đề xuất lộ trình số hóa hồ sơ và tổ công nghệ số cộng đồng ở từng tổ dân phố.",
    ),
    (
        "Bố trí, sử dụng đội ngũ cán bộ, công chức cấp xã dôi dư sau hợp nhất",
        "Việc hợp nhất các đơn vị hành chính cấp xã làm dôi dư nhiều cán bộ, công chức. Tiểu luận khảo sát số "
        "lượng, cơ cấu, trình độ của đội ngũ sau sắp xếp và đề xuất tiêu chí đánh giá, bố trí theo vị trí việc làm, "
        "chính sách nghỉ hưu trước tuổi và đào tạo lại.",
    ),
    (
        "Phát huy vai trò của Mặt trận Tổ quốc trong giám sát đầu tư công ở phường Phú Mỹ",
        "Ban giám sát đầu tư của cộng đồng hoạt động chưa đều. Tiểu luận đánh giá kết quả giám sát các công trình "
        "giao thông, trường học giai đoạn 2021 - 2025 và kiến nghị cơ chế phối hợp với chính quyền phường.",
    ),
    (
        "Nâng cao hiệu quả công tác dân vận của chính quyền phường trong giải phóng mặt bằng",
        "Công tác giải phóng mặt bằng dự án khu đô thị mới gặp nhiều vướng mắc. Tiểu luận phân tích nguyên nhân "
        "khiếu nại, kinh nghiệm đối thoại với người dân và đề xuất quy trình dân vận khéo theo từng bước.",
    ),
    (
        "Quản lý nhà nước về môi trường tại các cơ sở sản xuất nhỏ ở phường Phú Mỹ",
        "Các cơ sở chế biến hải sản nhỏ lẻ gây ô nhiễm nguồn nước. Tiểu luận đánh giá công tác cấp phép, kiểm tra "
        "và đề xuất quy hoạch cụm sản xuất, cam kết bảo vệ môi trường, vai trò giám sát của tổ dân phố.",
    ),
    (
        "Xây dựng tổ chức cơ sở đảng trong sạch, vững mạnh ở khối doanh nghiệp ngoài nhà nước",
        "Số đảng viên trong doanh nghiệp tư nhân còn ít, tổ chức đảng khó hoạt động. Tiểu luận đề xuất giải pháp "
        "tạo nguồn kết nạp đảng viên là công nhân và phối hợp với chủ doanh nghiệp.",
    ),
    (
        "Nâng cao chất lượng hoạt động của tổ hòa giải ở cơ sở",
        "Tổ hòa giải ở các tổ dân phố mới hợp nhất thiếu thành viên có kiến thức pháp luật. Tiểu luận đề xuất bồi "
        "dưỡng kỹ năng hòa giải và cơ chế khen thưởng cho hòa giải viên.",
    ),
]
# Of the 8 writers, two graders 1,5 apart (reconciled by the faculty) for this essay:
FAR_APART_ESSAY = 3

FIELD_TRIP = {
    "locality": "X03",
    "place": "Hợp tác xã nông nghiệp An Lạc và Ủy ban nhân dân xã An Lạc",
    "start": D(2026, 5, 11),
    "end": D(2026, 5, 13),
    "notes": "Tìm hiểu mô hình sản phẩm OCOP và xây dựng nông thôn mới nâng cao.",
}
COMMITTEE = [  # (name, position, side, role, lecturer name or None)
    ("Nguyễn Văn Thành", "Phó Hiệu trưởng Trường Chính trị tỉnh", "school", "head", None),
    ("Trần Thị Mai", "Phó Bí thư Thường trực Đảng ủy phường Phú Mỹ", "locality", "deputy", None),
    ("Hoàng Đức Thắng", "Trưởng khoa Xây dựng Đảng", "school", "member", "Hoàng Đức Thắng"),
    ("Lê Văn Hùng", "Giám đốc Trung tâm Chính trị phường Phú Mỹ", "locality", "member", None),
]
