"""Searching the news ignores case and diacritics; odd or long input is handled, never a 500."""

from django.urls import reverse

from daotao.portal.models import ArticleStatus
from daotao.portal.tests.world import PortalTestCase, make_article

URL = reverse("portal:search")


class SearchTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.opening = make_article(cls.training, "Khai giảng lớp Trung cấp lý luận chính trị")
        cls.conference = make_article(
            cls.activities,
            "Hội nghị tổng kết",
            summary="Đánh giá công tác phối hợp đào tạo",
            body="<p>Tại Tân Thành</p>",
        )
        make_article(cls.training, "Trung cấp nháp", status=ArticleStatus.DRAFT)

    def found(self, query):
        response = self.client.get(URL, {"q": query})
        self.assertEqual(response.status_code, 200)
        page = response.context["page"]
        return None if page is None else list(page)

    def test_case_and_diacritics_do_not_matter(self):
        for query in ("TRUNG CAP", "trung cấp", "Trung Cấp", "khai giang trung", "LÝ LUẬN"):
            with self.subTest(query=query):
                self.assertEqual(self.found(query), [self.opening])

    def test_summary_and_body_are_searched(self):
        self.assertEqual(self.found("dao tao"), [self.conference])
        self.assertEqual(self.found("TAN THANH"), [self.conference])
        self.assertEqual(self.found("đào tạo hội nghị"), [self.conference])

    def test_every_word_must_match(self):
        self.assertEqual(self.found("trung cap tong ket"), [])

    def test_drafts_are_not_found(self):
        self.assertNotIn("nháp", " ".join(a.title for a in self.found("trung cap")))

    def test_the_page_shows_the_query_and_the_count(self):
        response = self.client.get(URL, {"q": "Trung cấp"})
        self.assertContains(response, 'value="Trung cấp"')
        self.assertContains(response, "1 tin được tìm thấy.")
        self.assertContains(response, f'href="{self.opening.get_absolute_url()}"')

    def test_no_words_no_list(self):
        for query in ("", "   ", "\t\n"):
            with self.subTest(query=query):
                self.assertIsNone(self.found(query))
        self.assertEqual(self.client.get(URL).status_code, 200)
        self.assertEqual(self.found("---"), [])

    def test_like_wildcards_are_literal(self):
        self.assertEqual(self.found("%"), [])
        self.assertEqual(self.found("_"), [])

    def test_odd_and_long_input(self):
        for query in (
            "a" * 10_000,
            "trung cap " * 200,
            "<script>alert(1)</script>",
            "'; DROP TABLE portal_article; --",
            "🙂 ✓ ∑",
            "\u0301\u0301",
        ):
            with self.subTest(query=query[:30]):
                response = self.client.get(URL, {"q": query})
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "<script>alert(1)</script>")
        # A NUL character is refused before the view (400), never a 500.
        self.assertIn(self.client.get(URL, {"q": "tin\x00tức"}).status_code, {200, 400})
        response = self.client.get(URL, {"q": "x" * 500})
        self.assertEqual(response.context["query"], "x" * 100)

    def test_only_the_first_ten_words_count(self):
        ten = "khai giang lop trung cap ly luan chinh tri tom"  # ten distinct words (title, summary)
        self.assertEqual(self.found(ten), [self.opening])
        self.assertEqual(self.found(ten + " zzz"), [self.opening])  # the eleventh word is ignored
        self.assertEqual(self.found("zzz " + ten), [])

    def test_bad_pages_are_not_found(self):
        self.assertEqual(self.client.get(URL, {"q": "trung cap", "page": "x"}).status_code, 404)
        self.assertEqual(self.client.get(URL, {"q": "trung cap", "page": "2"}).status_code, 404)


class WordStartSearchTests(PortalTestCase):
    """A word typed starts a word of the text (``people.search``, as texts): after a space, or
    after an opening quote or bracket, a hyphen or a slash; never inside a word."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.quoted = make_article(cls.training, "Hội thảo “Đổi mới phương pháp giảng dạy”")
        cls.hyphen = make_article(cls.activities, "Đoàn công tác tỉnh Bà Rịa-Vũng Tàu", body="<p>(Tin ảnh)</p>")
        cls.rollout = make_article(cls.activities, "Triển khai Nghị quyết 19-NQ/TW")

    def found(self, query):
        return list(self.client.get(URL, {"q": query}).context["page"])

    def test_after_a_space_a_quote_a_bracket_a_hyphen_or_a_slash(self):
        self.assertEqual(self.found("doi moi"), [self.quoted])
        self.assertEqual(self.found("giang day"), [self.quoted])
        self.assertEqual(self.found("vung tau"), [self.hyphen])
        self.assertEqual(self.found("tin anh"), [self.hyphen])
        self.assertEqual(self.found("nq tw"), [self.rollout])

    def test_never_inside_a_word(self):
        self.assertEqual(self.found("hai"), [])  # "triển khai"
        self.assertEqual(self.found("ung tau"), [])
        self.assertEqual(self.found("oi moi"), [])
