from unittest import TestCase

from daotao.lib.similarity import (
    MIN_CONTAINMENT_SHINGLES,
    TEXT_THRESHOLD,
    TEXTS,
    TITLE_THRESHOLD,
    TITLES,
    Measure,
    build_index,
    containment,
    jaccard,
    near_duplicate_texts,
    near_duplicate_titles,
    text_shingles,
    title_shingles,
    words,
)

TEXT = (
    "Sinh hoạt chi bộ là hình thức cơ bản để lãnh đạo, giáo dục, quản lý đảng viên. Chất lượng sinh hoạt chi bộ "
    "ở các thôn, khu phố đã có chuyển biến, song nội dung còn chung chung, ít thảo luận vấn đề cụ thể của địa "
    "phương. Tiểu luận đề xuất bồi dưỡng kỹ năng chủ trì cho bí thư chi bộ và đổi mới nội dung theo chuyên đề."
)
OTHER_TEXT = (
    "Các cơ sở chế biến hải sản nhỏ lẻ ven biển gây ô nhiễm nguồn nước, ảnh hưởng đời sống nhân dân và hoạt động "
    "du lịch. Chính quyền xã đã kiểm tra, xử phạt nhưng chưa dứt điểm vì thiếu quỹ đất bố trí cụm sản xuất tập "
    "trung. Tiểu luận kiến nghị quy hoạch cụm chế biến, hỗ trợ vốn di dời và tăng cường giám sát của cộng đồng."
)
UNRELATED_TITLE = "Phát triển sản phẩm OCOP gắn với xây dựng nông thôn mới ở huyện An Lạc"


def strip_accents_by_hand(text: str) -> str:
    """What a student typing without a Vietnamese keyboard writes."""
    return "".join(
        {"ạ": "a", "ộ": "o", "ì": "i", "ơ": "o", "ả": "a", "ể": "e", "ã": "a", "á": "a", "ụ": "u", "ý": "y"}.get(ch, ch)
        for ch in text
    )


class WordsTests(TestCase):
    def test_folds_case_accents_and_punctuation(self):
        self.assertEqual(words("Chi bộ, ĐẢNG viên; đổi mới!"), ["chi", "bo", "dang", "vien", "doi", "moi"])
        self.assertEqual(words(""), [])
        self.assertEqual(text_shingles(""), frozenset())
        self.assertEqual(title_shingles(""), frozenset())
        self.assertEqual(text_shingles("Chi bộ"), frozenset([("chi", "bo")]))


class TitleTests(TestCase):
    def test_accents_and_case_are_ignored(self):
        a = title_shingles("Nâng cao chất lượng sinh hoạt chi bộ ở xã An Lạc")
        b = title_shingles("NANG CAO chat luong sinh hoat chi bo o xa an lac")
        self.assertEqual(jaccard(a, b), 1.0)

    def test_a_slightly_edited_title_is_similar(self):
        a = title_shingles("Nâng cao chất lượng sinh hoạt chi bộ ở các thôn, khu phố trên địa bàn thị xã Phú Mỹ")
        b = title_shingles("Nâng cao chất lượng sinh hoạt chi bộ ở các thôn, tổ dân phố trên địa bàn phường Phú Mỹ")
        self.assertGreaterEqual(jaccard(a, b), TITLE_THRESHOLD)
        self.assertTrue(TITLES.similar(a, b))

    def test_reordered_words_are_similar(self):
        a = title_shingles("Chuyển đổi số trong cải cách hành chính ở phường Nam Sơn")
        b = title_shingles("Cải cách hành chính, chuyển đổi số ở phường Nam Sơn")
        self.assertTrue(TITLES.similar(a, b))

    def test_an_unrelated_title_is_not(self):
        a = title_shingles("Nâng cao chất lượng sinh hoạt chi bộ ở xã An Lạc")
        self.assertLess(jaccard(a, title_shingles(UNRELATED_TITLE)), 0.3)
        self.assertEqual(TITLES.similar(a, title_shingles(UNRELATED_TITLE)), 0.0)

    def test_among_candidates(self):
        candidates = [
            (1, "nang cao chat luong sinh hoat chi bo o cac thon, khu pho"),
            (2, UNRELATED_TITLE),
            (3, "Giữ gìn bản sắc văn hóa đồng bào dân tộc thiểu số"),
        ]
        found = near_duplicate_titles("Nâng cao chất lượng sinh hoạt chi bộ ở các thôn, khu phố", candidates)
        self.assertEqual(found, [(1, 1.0)])


class TextTests(TestCase):
    def test_an_edited_text_is_similar(self):
        edited = TEXT.replace("khu phố", "tổ dân phố").replace("Tiểu luận", "Bài viết")
        self.assertGreaterEqual(jaccard(text_shingles(TEXT), text_shingles(edited)), TEXT_THRESHOLD)

    def test_a_text_without_accents_is_the_same(self):
        self.assertEqual(text_shingles(TEXT), text_shingles(strip_accents_by_hand(TEXT).upper()))

    def test_reordered_sentences_are_similar(self):
        sentences = TEXT.split(". ")
        reordered = ". ".join([sentences[2], sentences[0], sentences[1]])
        self.assertGreaterEqual(TEXTS.similar(text_shingles(TEXT), text_shingles(reordered)), TEXT_THRESHOLD)

    def test_a_text_copied_into_a_longer_one_is_contained(self):
        longer = TEXT + " " + OTHER_TEXT + " " + OTHER_TEXT.replace("xã", "phường")
        a, b = text_shingles(TEXT), text_shingles(longer)
        self.assertGreaterEqual(len(a), MIN_CONTAINMENT_SHINGLES)
        self.assertLess(jaccard(a, b), TEXT_THRESHOLD)
        self.assertEqual(containment(a, b), 1.0)
        self.assertEqual(TEXTS.similar(a, b), 1.0)

    def test_a_short_phrase_contained_in_a_text_is_not_flagged(self):
        phrase = text_shingles("Sinh hoạt chi bộ là hình thức cơ bản")
        self.assertEqual(containment(phrase, text_shingles(TEXT)), 1.0)
        self.assertEqual(TEXTS.similar(phrase, text_shingles(TEXT)), 0.0)

    def test_an_unrelated_text_is_not(self):
        self.assertLess(jaccard(text_shingles(TEXT), text_shingles(OTHER_TEXT)), 0.05)
        self.assertEqual(TEXTS.similar(text_shingles(TEXT), text_shingles(OTHER_TEXT)), 0.0)


class IndexTests(TestCase):
    def documents(self, count=2000):
        documents = {1: TEXT, 2: TEXT.replace("khu phố", "tổ dân phố"), 3: OTHER_TEXT}
        for n in range(4, count):
            documents[n] = f"Văn bản số {n} về một chủ đề khác hẳn, với những từ riêng {n} {n * 7} {n * 13}."
        return documents

    def test_finds_only_the_near_duplicates_among_thousands(self):
        documents = self.documents()
        index = build_index((key, text_shingles(text)) for key, text in documents.items())
        self.assertEqual(len(index), len(documents))
        found = index.similar(text_shingles(TEXT), TEXTS, exclude=1)
        self.assertEqual([key for key, _score in found], [2])
        unaccented = strip_accents_by_hand(TEXT)
        self.assertEqual([key for key, _ in index.similar(text_shingles(unaccented), TEXTS)][:2], [1, 2])
        self.assertEqual(index.similar(text_shingles("Một câu không liên quan gì"), TEXTS), [])

    def test_measure_from_counts_matches_the_sets(self):
        a, b = text_shingles(TEXT), text_shingles(TEXT.replace("khu phố", "tổ dân phố"))
        index = build_index([("b", b)])
        ((key, score),) = index.similar(a, TEXTS)
        self.assertEqual(key, "b")
        self.assertAlmostEqual(score, max(jaccard(a, b), containment(a, b)), places=3)
        ((_key, score),) = index.similar(a, TEXT_THRESHOLD)  # Jaccard only
        self.assertAlmostEqual(score, jaccard(a, b), places=3)

    def test_a_plain_threshold_is_jaccard(self):
        index = build_index([(1, title_shingles("Chuyển đổi số ở phường Nam Sơn"))])
        self.assertEqual(index.similar(title_shingles("chuyen doi so o phuong nam son"), 0.9), [(1, 1.0)])
        self.assertEqual(index.similar(title_shingles("chuyển đổi số"), 0.9), [])

    def test_pairs_are_symmetric(self):
        documents = self.documents(300)
        index = build_index((key, text_shingles(text)) for key, text in documents.items())
        pairs = index.pairs(TEXTS)
        self.assertEqual({key: [k for k, _ in found] for key, found in pairs.items()}, {1: [2], 2: [1]})

    def test_empty_documents_are_left_out_and_keys_are_unique(self):
        index = build_index([(1, frozenset()), (2, text_shingles(TEXT))])
        self.assertEqual(len(index), 1)
        with self.assertRaises(ValueError):
            index.add(2, text_shingles(TEXT))
        self.assertEqual(index.similar(frozenset(), TEXTS), [])

    def test_near_duplicate_texts(self):
        found = near_duplicate_texts(TEXT.upper(), [(1, OTHER_TEXT), (2, TEXT)])
        self.assertEqual(found, [(2, 1.0)])

    def test_a_stricter_measure_flags_less(self):
        a, b = text_shingles(TEXT), text_shingles(TEXT.replace("khu phố", "tổ dân phố"))
        self.assertEqual(Measure(0.99).similar(a, b), 0.0)
