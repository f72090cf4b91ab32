"""Near-duplicate topics and texts are flagged across classes and years, accents ignored,
on both sides; the command recomputes every flag."""

from io import StringIO

from django.core.management import call_command

from daotao.essays import services
from daotao.essays.models import Essay
from daotao.essays.tests.world import OTHER_TEXT, TEXT, TITLE, EssayWorldTestCase, old_essay, register


def flags(essay) -> set[tuple[int, str]]:
    essay.refresh_from_db()
    return {(item["essay"], item["field"]) for item in essay.similar}


def strip_accents(text: str) -> str:
    from daotao.lib.vietnamese import fold

    return fold(text)


class SimilarityServiceTests(EssayWorldTestCase):
    def test_a_topic_like_an_earlier_years_is_flagged_on_registration(self):
        old = old_essay(self, strip_accents(TITLE).upper(), year=2019)
        essay = register(self, title=TITLE)
        self.assertEqual(flags(essay), {(old.pk, "title")})
        self.assertEqual(flags(old), {(essay.pk, "title")})  # both sides
        (item,) = essay.similar
        self.assertEqual(item["similarity"], 1.0)

    def test_a_text_like_another_class_is_flagged_on_submission(self):
        old = old_essay(self, "Một đề tài khác hẳn về kinh tế biển", text=strip_accents(TEXT), year=2021)
        essay = register(self, title=TITLE)
        self.assertEqual(flags(essay), set())
        services.essay_topic_decide(user=self.office, essay=essay, approve=True)
        services.essay_submit(user=self.student_user, essay=essay, text=TEXT.replace("khu phố", "tổ dân phố"))
        self.assertEqual(flags(essay), {(old.pk, "text")})
        self.assertEqual(flags(old), {(essay.pk, "text")})

    def test_the_same_year_in_another_class_is_flagged_too(self):
        (other,) = self.other_enrollments[:1]
        first = register(self, enrollment=other, title=TITLE)
        second = register(self, title=TITLE.replace("khu phố", "tổ dân phố"))
        self.assertEqual(flags(second), {(first.pk, "title")})

    def test_unrelated_essays_are_not_flagged(self):
        old_essay(self, "Phát triển sản phẩm OCOP gắn với xây dựng nông thôn mới", text=OTHER_TEXT)
        essay = register(self, title=TITLE)
        self.assertEqual(essay.similar, [])

    def test_a_changed_topic_drops_the_old_flag_on_the_other_side(self):
        old = old_essay(self, TITLE)
        essay = register(self, title=TITLE)
        self.assertEqual(flags(old), {(essay.pk, "title")})
        register(self, title="Phát triển du lịch cộng đồng ở xã ven biển")
        self.assertEqual(flags(old), set())
        self.assertEqual(flags(Essay.objects.get(pk=essay.pk)), set())

    def test_the_command_recomputes_every_flag(self):
        old = old_essay(self, TITLE, text=TEXT)
        other = old_essay(self, "Phát triển du lịch cộng đồng", text=OTHER_TEXT, year=2020)
        new = old_essay(self, strip_accents(TITLE), text=TEXT.upper(), year=2024)
        Essay.objects.filter(pk=other.pk).update(similar=[{"essay": new.pk, "field": "title", "similarity": 0.9}])
        out = StringIO()
        call_command("check_essay_similarity", stdout=out)
        self.assertEqual(flags(old), {(new.pk, "title"), (new.pk, "text")})
        self.assertEqual(flags(new), {(old.pk, "title"), (old.pk, "text")})
        self.assertEqual(flags(other), set())  # a stale flag is dropped
        self.assertIn("2", out.getvalue())

    def test_the_command_matches_the_check_of_one_essay(self):
        old = old_essay(self, TITLE, text=TEXT)
        essay = register(self, title=TITLE)
        before = flags(essay), flags(old)
        self.assertEqual(services.essays_check_similarity_all(), 2)
        self.assertEqual((flags(essay), flags(old)), before)
