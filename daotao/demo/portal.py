"""The demo portal: news of the fictional Bình An school, its pictures, a campaign banner and
the visits the school's previous site had counted.

Pictures are drawn with Pillow into MEDIA_ROOT the first time (simple shapes, no text; the
banner is an SVG so that its Vietnamese words need no font file). Like the rest of the demo,
loading again changes nothing: records are found by slug or title and saved only when they
differ, and a drawn file is kept.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from daotao.lib.html import sanitize_article_html
from daotao.lib.vietnamese import SCHOOL_TZ
from daotao.portal.models import (
    Article,
    ArticleImage,
    ArticleStatus,
    Banner,
    BannerPlacement,
    Category,
    DailyVisits,
    VisitOffset,
)

MEDIA_DIR = "portal/demo"
LEGACY_VISITS = 4_400_000

CATEGORIES = [
    ("tin-hoat-dong", "Tin hoạt động", "Hoạt động của Nhà trường và các đơn vị phối hợp.", 1),
    ("dao-tao-boi-duong", "Đào tạo, bồi dưỡng", "Khai giảng, bế giảng và kết quả các lớp đào tạo, bồi dưỡng.", 2),
    ("nghien-cuu-khoa-hoc", "Nghiên cứu khoa học", "Hội thảo, đề tài và nghiên cứu thực tế.", 3),
]


def _at(year, month, day, hour, minute, second=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=SCHOOL_TZ)


# slug, category, title, summary, body, published at, status, featured, cover, views at creation,
# inline images [(file, caption)].
ARTICLES = [
    (
        "khai-giang-lop-trung-cap-ly-luan-chinh-tri-hanh-chinh-tai-tan-thanh",
        "dao-tao-boi-duong",
        "Khai giảng lớp Trung cấp lý luận chính trị - hành chính hệ không tập trung tại huyện Tân Thành",
        "Sáng 10/3/2025, Trường Chính trị tỉnh Bình An phối hợp với Trung tâm Chính trị huyện Tân Thành "
        "khai giảng lớp Trung cấp lý luận chính trị - hành chính hệ không tập trung cho 82 học viên.",
        """<p>Sáng ngày 10/3/2025, tại Trung tâm Chính trị huyện Tân Thành, Trường Chính trị tỉnh Bình An tổ chức
khai giảng lớp Trung cấp lý luận chính trị - hành chính hệ không tập trung khóa 2025 - 2026.</p>
<p>Lớp học có 82 học viên là cán bộ, công chức cấp xã và cán bộ các cơ quan, đơn vị trên địa bàn huyện.
Chương trình gồm các khối kiến thức về lý luận chính trị, khoa học hành chính, nghiệp vụ công tác Đảng,
dân vận và nghiên cứu thực tế tại địa phương.</p>
<h2>Học đi đôi với hành</h2>
<p>Phát biểu khai giảng, đại diện Ban Giám hiệu đề nghị học viên chấp hành nghiêm quy chế, gắn việc học tập
với giải quyết những vấn đề mới, khó của địa phương; giảng viên tăng cường phương pháp giảng dạy tích cực,
"3 tăng, 3 giảm".</p>
<ul><li>Tăng thực hành, đối thoại, xử lý tình huống;</li><li>Giảm lý thuyết chung, độc thoại, đọc chép.</li></ul>""",
        _at(2025, 3, 10, 9, 15, 4),
        ArticleStatus.PUBLISHED,
        True,
        "khai-giang.png",
        1284,
        [("lop-hoc.png", "Học viên lớp Trung cấp lý luận chính trị - hành chính trong buổi học đầu tiên.")],
    ),
    (
        "be-giang-va-trao-bang-tot-nghiep-trung-cap-khoa-2024-2025",
        "dao-tao-boi-duong",
        "Bế giảng và trao bằng tốt nghiệp lớp Trung cấp lý luận chính trị - hành chính khóa 2024 - 2025",
        "Ngày 20/6/2025, Nhà trường tổ chức bế giảng và trao bằng tốt nghiệp cho 96 học viên lớp Trung cấp "
        "lý luận chính trị - hành chính hệ tập trung.",
        """<p>Chiều 20/6/2025, Trường Chính trị tỉnh Bình An tổ chức lễ bế giảng và trao bằng tốt nghiệp lớp
Trung cấp lý luận chính trị - hành chính hệ tập trung khóa 2024 - 2025.</p>
<p>Sau sáu tháng học tập, 96/96 học viên đủ điều kiện tốt nghiệp. Kết quả xếp loại như sau:</p>
<table><thead><tr><th scope="col">Xếp loại</th><th scope="col">Số học viên</th></tr></thead>
<tbody><tr><td>Xuất sắc</td><td>6</td></tr><tr><td>Giỏi</td><td>41</td></tr>
<tr><td>Khá</td><td>49</td></tr></tbody></table>
<blockquote><p>Những kiến thức được trang bị sẽ giúp chúng tôi vận dụng sáng tạo vào thực tiễn
công tác tại cơ sở.</p></blockquote>
<p>Nhân dịp này, Nhà trường khen thưởng 12 học viên có thành tích xuất sắc trong học tập và rèn luyện.</p>""",
        _at(2025, 6, 20, 16, 30, 12),
        ArticleStatus.PUBLISHED,
        True,
        "be-giang.png",
        2315,
        [("trao-bang.png", "Lãnh đạo Nhà trường trao bằng tốt nghiệp cho học viên.")],
    ),
    (
        "hoi-nghi-tong-ket-phoi-hop-dao-tao-sau-sap-xep-don-vi-hanh-chinh",
        "tin-hoat-dong",
        "Hội nghị tổng kết công tác phối hợp đào tạo, bồi dưỡng cán bộ sau sắp xếp đơn vị hành chính",
        "Nhà trường và các trung tâm chính trị cấp xã thống nhất cách phối hợp mở lớp, quản lý học viên "
        "từ khi chính quyền địa phương hai cấp đi vào hoạt động.",
        """<p>Ngày 15/9/2025, Trường Chính trị tỉnh Bình An tổ chức hội nghị tổng kết công tác phối hợp đào tạo,
bồi dưỡng cán bộ với các trung tâm chính trị cấp xã sau sắp xếp đơn vị hành chính.</p>
<p>Hội nghị đánh giá kết quả phối hợp mở lớp, quản lý học viên theo cơ chế hai chiều và thống nhất kế hoạch
mở lớp năm 2026, trong đó ưu tiên các lớp Trung cấp lý luận chính trị - hành chính hệ không tập trung tại
địa phương.</p>
<h3>Nhiệm vụ trọng tâm</h3>
<ol><li>Rà soát nhu cầu đào tạo của từng xã, phường;</li><li>Cập nhật ngân hàng vấn đề mới, khó của địa phương;</li>
<li>Gửi kết quả học tập của học viên về nơi cử đi học đúng hạn.</li></ol>""",
        _at(2025, 9, 15, 10, 5, 41),
        ArticleStatus.PUBLISHED,
        True,
        "hoi-nghi.png",
        977,
        [],
    ),
    (
        "gap-mat-ky-niem-ngay-nha-giao-viet-nam-20-11-2025",
        "tin-hoat-dong",
        "Gặp mặt kỷ niệm 43 năm Ngày Nhà giáo Việt Nam 20/11",
        "Cán bộ, giảng viên Nhà trường ôn lại truyền thống và biểu dương các tập thể, cá nhân tiêu biểu.",
        """<p>Sáng 20/11/2025, Trường Chính trị tỉnh Bình An tổ chức gặp mặt kỷ niệm 43 năm Ngày Nhà giáo Việt Nam.</p>
<p>Tại buổi gặp mặt, Nhà trường biểu dương 5 tập thể và 14 cá nhân có thành tích tiêu biểu trong giảng dạy,
nghiên cứu khoa học và phục vụ đào tạo năm học 2024 - 2025.</p>""",
        _at(2025, 11, 20, 11, 0, 0),
        ArticleStatus.PUBLISHED,
        False,
        "nha-giao.png",
        655,
        [],
    ),
    (
        "hoi-thao-nang-cao-chat-luong-giang-day-ly-luan-chinh-tri-cho-can-bo-co-so",
        "nghien-cuu-khoa-hoc",
        "Hội thảo khoa học: Nâng cao chất lượng giảng dạy lý luận chính trị cho cán bộ cơ sở",
        "Hội thảo nhận 24 tham luận của giảng viên Nhà trường và trung tâm chính trị các xã, phường.",
        """<p>Ngày 16/01/2026, Trường Chính trị tỉnh Bình An tổ chức hội thảo khoa học "Nâng cao chất lượng giảng dạy
lý luận chính trị cho cán bộ cơ sở trong giai đoạn mới".</p>
<p>Các tham luận tập trung vào đổi mới phương pháp giảng dạy, gắn bài giảng với thực tiễn địa phương, ứng dụng
công nghệ thông tin và đánh giá chất lượng sau đào tạo.</p>
<p>Kỷ yếu hội thảo được gửi tới các khoa và trung tâm chính trị để tham khảo. Thông tin chi tiết xin liên hệ
<a href="mailto:khoahoc@truongchinhtri.binhan.example">Phòng Quản lý đào tạo và nghiên cứu khoa học</a>.</p>""",
        _at(2026, 1, 16, 16, 42, 37),
        ArticleStatus.PUBLISHED,
        True,
        "hoi-thao.png",
        607,
        [("hoi-thao-2.png", "Các đại biểu thảo luận tại hội thảo.")],
    ),
    (
        "huong-ung-ngay-sach-va-van-hoa-doc-viet-nam-2026",
        "tin-hoat-dong",
        "Thư viện Nhà trường hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam năm 2026",
        "Trưng bày hơn 500 đầu sách lý luận chính trị, lịch sử địa phương và giới thiệu tủ sách điện tử cho học viên.",
        """<p>Hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam (21/4), thư viện Trường Chính trị tỉnh Bình An tổ chức
trưng bày, giới thiệu hơn 500 đầu sách về lý luận chính trị, lịch sử Đảng bộ tỉnh và lịch sử địa phương.</p>
<p>Học viên các lớp được hướng dẫn tra cứu tài liệu, mượn sách và sử dụng tủ sách điện tử của Nhà trường.</p>""",
        _at(2026, 4, 21, 8, 0, 0),
        ArticleStatus.PUBLISHED,
        False,
        "ngay-sach.png",
        431,
        [],
    ),
    (
        "khai-giang-lop-boi-duong-ngach-chuyen-vien-nam-2026",
        "dao-tao-boi-duong",
        "Khai giảng lớp Bồi dưỡng ngạch chuyên viên năm 2026",
        "65 công chức các sở, ngành và xã, phường tham gia lớp bồi dưỡng theo chương trình mới.",
        """<p>Ngày 08/9/2026, Trường Chính trị tỉnh Bình An khai giảng lớp Bồi dưỡng ngạch chuyên viên năm 2026 cho
65 công chức các sở, ngành và xã, phường trong tỉnh.</p>
<p>Học viên hoàn thành đủ thời gian học tập, đạt yêu cầu các bài kiểm tra và không vi phạm quy chế sẽ được
cấp chứng chỉ bồi dưỡng.</p>""",
        _at(2026, 9, 8, 14, 20, 9),
        ArticleStatus.PUBLISHED,
        False,
        "chuyen-vien.png",
        248,
        [],
    ),
    (
        "ke-hoach-tuyen-sinh-trung-cap-ly-luan-chinh-tri-hanh-chinh-nam-2027",
        "dao-tao-boi-duong",
        "Kế hoạch tuyển sinh lớp Trung cấp lý luận chính trị - hành chính năm 2027",
        "Bản nháp: chờ số liệu chỉ tiêu của các địa phương.",
        "<p>Nhà trường thông báo kế hoạch tuyển sinh năm 2027 (đang hoàn thiện).</p>",
        _at(2026, 12, 15, 8, 0, 0),
        ArticleStatus.DRAFT,
        False,
        "",
        0,
        [],
    ),
]

BANNER_TITLE = "Hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam"
BANNER_FILE = "ngay-sach-van-hoa-doc.svg"
BANNER_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 300" width="600" height="300">
<rect width="600" height="300" fill="#0b4f8a"/><rect y="230" width="600" height="70" fill="#083a66"/>
<g fill="#f2c200"><rect x="40" y="120" width="34" height="110"/><rect x="80" y="100" width="28" height="130"/></g>
<g fill="#ffffff"><rect x="114" y="130" width="40" height="100"/><rect x="160" y="110" width="24" height="120"/></g>
<rect x="190" y="140" width="36" height="90" fill="#c1272d"/>
<g font-family="'Segoe UI','Noto Sans','DejaVu Sans',Arial,sans-serif" fill="#ffffff" text-anchor="middle">
<text x="410" y="95" font-size="26" font-weight="700">HƯỞNG ỨNG</text>
<text x="410" y="140" font-size="24" font-weight="700" fill="#f2c200">NGÀY SÁCH VÀ</text>
<text x="410" y="175" font-size="24" font-weight="700" fill="#f2c200">VĂN HÓA ĐỌC VIỆT NAM</text>
<text x="410" y="212" font-size="22">21/4</text>
<text x="300" y="272" font-size="18">Đọc sách - nâng tầm tri thức</text></g>
</svg>
"""

# Pictures: file -> (sky colour, ground colour, motif).
PICTURES = {
    "khai-giang.png": ((198, 225, 245), (120, 170, 90), "school"),
    "lop-hoc.png": ((245, 240, 228), (150, 110, 80), "classroom"),
    "be-giang.png": ((32, 64, 120), (22, 44, 90), "caps"),
    "trao-bang.png": ((163, 20, 27), (120, 14, 20), "podium"),
    "hoi-nghi.png": ((163, 20, 27), (90, 60, 50), "conference"),
    "nha-giao.png": ((252, 236, 240), (240, 200, 210), "flowers"),
    "hoi-thao.png": ((230, 236, 244), (90, 60, 50), "conference"),
    "hoi-thao-2.png": ((245, 240, 228), (150, 110, 80), "classroom"),
    "ngay-sach.png": ((11, 79, 138), (8, 58, 102), "books"),
    "chuyen-vien.png": ((236, 244, 236), (150, 110, 80), "classroom"),
}
WIDTH, HEIGHT = 720, 480
RED, GOLD, WHITE, INK = (163, 20, 27), (242, 194, 0), (255, 255, 255), (40, 40, 48)


def _star(draw, x: float, y: float, radius: float) -> None:
    """A five-pointed gold star centred on (x, y)."""
    points = []
    for index in range(10):
        angle = math.pi / 2 + index * math.pi / 5
        length = radius if index % 2 == 0 else radius * 0.4
        points.append((x + length * math.cos(angle), y - length * math.sin(angle)))
    draw.polygon(points, fill=GOLD)


def _draw(motif: str, sky, ground):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 340, WIDTH, HEIGHT], fill=ground)
    if motif == "school":  # a columned building under a flag
        draw.rectangle([160, 190, 560, 350], fill=(250, 246, 235))
        draw.polygon([(140, 195), (360, 110), (580, 195)], fill=RED)
        for x in range(190, 540, 60):
            draw.rectangle([x, 215, x + 22, 350], fill=(225, 215, 195))
        draw.line([360, 40, 360, 115], fill=INK, width=4)
        draw.rectangle([362, 40, 420, 78], fill=RED)
        _star(draw, 391, 59, 14)
    elif motif == "classroom":  # rows of desks facing a board
        draw.rectangle([200, 50, 520, 170], fill=(40, 80, 60), outline=(120, 90, 60), width=6)
        for row, y in enumerate(range(230, 460, 70)):
            for x in range(60 + row * 10, 660, 150):
                draw.ellipse([x + 35, y - 40, x + 75, y], fill=INK)
                draw.rectangle([x, y, x + 110, y + 22], fill=(190, 140, 90))
    elif motif == "caps":  # graduation caps
        for index, x in enumerate(range(60, 660, 120)):
            y = 170 + (index % 2) * 70
            draw.polygon([(x, y), (x + 55, y - 25), (x + 110, y), (x + 55, y + 25)], fill=INK)
            draw.rectangle([x + 30, y + 5, x + 80, y + 40], fill=INK)
            draw.line([x + 95, y, x + 95, y + 45], fill=GOLD, width=3)
        _star(draw, 360, 70, 34)
    elif motif in {"podium", "conference"}:  # a hall: backdrop, long table, podium
        draw.rectangle([60, 40, 660, 200], fill=(200, 40, 40) if motif == "podium" else RED, outline=GOLD, width=5)
        _star(draw, 360, 120, 50)
        draw.rectangle([80, 260, 560, 300], fill=(235, 235, 235))
        for x in range(110, 540, 80):
            draw.ellipse([x, 215, x + 36, 251], fill=INK)
        draw.polygon([(590, 240), (660, 240), (650, 360), (600, 360)], fill=(120, 70, 40))
    elif motif == "flowers":  # a bouquet
        for x, y, colour in [(300, 160, RED), (360, 130, (230, 90, 140)), (420, 165, GOLD), (335, 215, WHITE),
                             (395, 215, (230, 90, 140))]:  # fmt: skip
            draw.line([x, y, 360, 390], fill=(60, 120, 60), width=5)
            draw.ellipse([x - 34, y - 34, x + 34, y + 34], fill=colour)
        draw.polygon([(320, 330), (400, 330), (380, 420), (340, 420)], fill=(250, 250, 250))
    elif motif == "books":  # a shelf of books
        x = 70
        colours = [RED, GOLD, WHITE, (60, 140, 90), (230, 120, 40)]
        for index in range(16):
            width = 28 + (index * 7) % 16
            top = 120 + (index * 37) % 70
            draw.rectangle([x, top, x + width, 340], fill=colours[index % len(colours)])
            x += width + 6
    return image


def _media_file(name: str) -> str:
    return f"{MEDIA_DIR}/{name}"


def draw_pictures() -> None:
    """Draw the demo's pictures into MEDIA_ROOT, leaving those already there."""
    folder = Path(settings.MEDIA_ROOT) / MEDIA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name, (sky, ground, motif) in PICTURES.items():
        path = folder / name
        if not path.exists():
            _draw(motif, sky, ground).save(path, optimize=True)
    banner = folder / BANNER_FILE
    if not banner.exists():
        banner.write_text(BANNER_SVG, encoding="utf-8")


def _sync(obj, values: dict) -> bool:
    """Set the fields that differ and save; a stored record that already matches is not written."""
    if obj.pk is not None:
        values = {name: value for name, value in values.items() if getattr(obj, name) != value}
        if not values:
            return False
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return True


def load_categories() -> dict[str, Category]:
    categories = {}
    for slug, name, description, order in CATEGORIES:
        category = Category.objects.filter(slug=slug).first() or Category(slug=slug)
        _sync(category, {"name": name, "description": description, "order": order})
        categories[slug] = category
    return categories


def load_articles(categories: dict[str, Category], author) -> None:
    for slug, category, title, summary, body, published_at, status, featured, cover, views, images in ARTICLES:
        article = Article.objects.filter(slug=slug).first()
        if article is None:  # a new article starts with the views the old site had counted
            article = Article(slug=slug, view_count=views, author=author)
        _sync(
            article,
            {
                "category": categories[category],
                "title": title,
                "summary": summary,
                "body": sanitize_article_html(body),
                "published_at": published_at,
                "status": status,
                "featured": featured,
                "cover_image": _media_file(cover) if cover else "",
            },
        )
        kept = []
        for order, (name, caption) in enumerate(images, start=1):
            image = ArticleImage.objects.filter(article=article, order=order).first() or ArticleImage(
                article=article, order=order
            )
            _sync(image, {"image": _media_file(name), "caption": caption})
            kept.append(image.pk)
        ArticleImage.objects.filter(article=article).exclude(pk__in=kept).delete()


def load_banner(today: dt.date) -> None:
    """The campaign banner, shown from 21/4/2021 until 21/4 of next year: always active today."""
    banner = Banner.objects.filter(title=BANNER_TITLE).first() or Banner(title=BANNER_TITLE)
    _sync(
        banner,
        {
            "image": _media_file(BANNER_FILE),
            "link": "/tin-tuc/tin-hoat-dong/huong-ung-ngay-sach-va-van-hoa-doc-viet-nam-2026/",
            "placement": BannerPlacement.SIDEBAR,
            "order": 1,
            "starts_on": dt.date(2021, 4, 21),
            "ends_on": dt.date(today.year + 1, 4, 21),
        },
    )


def load(author) -> None:
    draw_pictures()
    categories = load_categories()
    load_articles(categories, author)
    load_banner(timezone.localdate())
    offset = VisitOffset.objects.filter(pk=1).first() or VisitOffset()
    _sync(offset, {"visits": LEGACY_VISITS, "note": "Lượt truy cập trang thông tin cũ của Trường (số liệu mẫu)"})
    load_visit_history(timezone.localdate())


def load_visit_history(today: dt.date, days: int = 60) -> None:
    """Fictional visits for the days before today, so the visitor box has a history.

    Only days without a row are filled: a day the demo server really counted keeps its
    count, and today is never touched. Weekdays are busier than weekends."""
    wanted = [today - dt.timedelta(days=n) for n in range(1, days + 1)]
    present = set(DailyVisits.objects.filter(day__in=wanted).values_list("day", flat=True))
    DailyVisits.objects.bulk_create(
        DailyVisits(day=day, visits=(1800 if day.weekday() < 5 else 700) + (day.toordinal() * 7919) % 1300)
        for day in wanted
        if day not in present
    )
