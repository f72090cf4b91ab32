from unittest import TestCase

from daotao.lib.similarity import (
    TEXT_THRESHOLD,
    TITLE_THRESHOLD,
    build_index,
    jaccard,
    text_shingles,
    title_shingles,
)

TEXT = (
    "Sinh hoạt chi bộ là hình thức cơ bản để lãnh đạo, giáo dục, quản lý đảng viên. Chất lượng sinh hoạt chi bộ "
    "ở các thôn, khu phố đã có chuyển biến, song nội dung còn chung chung, ít thảo luận vấn đề cụ thể của địa "
    "phương. Tiểu luận đề xuất bồi dưỡng kỹ năng chủ trì cho bí thư chi bộ và đổi mới nội dung theo chuyên đề."
)


class SimilarityTests(TestCase):
    def test_titles_ignore_accents_and_case(self):
        a = title_shingles("Nâng cao chất lượng sinh hoạt chi bộ ở xã An Lạc")
        b = title_shingles("NANG CAO chat luong sinh hoat chi bo o xa an lac")
        self.assertEqual(jaccard(a, b), 1.0)

    def test_slightly_edited_title_is_similar(self):
        a = title_shingles("Nâng cao chất lượng sinh hoạt chi bộ ở các thôn, khu phố trên địa bàn thị xã Phú Mỹ")
        b = title_shingles("Nâng cao chất lượng sinh hoạt chi bộ ở các thôn, tổ dân phố trên địa bàn phường Phú Mỹ")
        self.assertGreaterEqual(jaccard(a, b), TITLE_THRESHOLD)

    def test_unrelated_title_is_not(self):
        a = title_shingles("Nâng cao chất lượng sinh hoạt chi bộ ở xã An Lạc")
        b = title_shingles("Phát triển sản phẩm OCOP gắn với nông thôn mới")
        self.assertLess(jaccard(a, b), 0.3)

    def test_texts(self):
        edited = TEXT.replace("khu phố", "tổ dân phố").replace("Tiểu luận", "Bài viết")
        self.assertGreaterEqual(jaccard(text_shingles(TEXT), text_shingles(edited)), TEXT_THRESHOLD)
        other = "Các cơ sở chế biến hải sản nhỏ lẻ gây ô nhiễm nguồn nước; cần quy hoạch cụm sản xuất tập trung."
        self.assertLess(jaccard(text_shingles(TEXT), text_shingles(other)), 0.05)
        self.assertEqual(text_shingles(""), frozenset())

    def test_index_finds_only_the_near_duplicates(self):
        documents = {
            1: TEXT,
            2: TEXT.replace("khu phố", "tổ dân phố"),
            3: "Giữ gìn bản sắc văn hóa đồng bào dân tộc thiểu số, lễ hội truyền thống và tiếng nói.",
        }
        for n in range(4, 200):
            documents[n] = f"Văn bản số {n} về một chủ đề khác hẳn, với những từ riêng {n} {n * 7} {n * 13}."
        index = build_index((key, text_shingles(text)) for key, text in documents.items())
        found = index.similar(text_shingles(TEXT), TEXT_THRESHOLD, exclude=1)
        self.assertEqual([key for key, _score in found], [2])
        unaccented = "sinh hoat chi bo la hinh thuc co ban de lanh dao, giao duc, quan ly dang vien." + TEXT[79:]
        self.assertIn(1, [key for key, _ in index.similar(text_shingles(unaccented), TEXT_THRESHOLD)])
