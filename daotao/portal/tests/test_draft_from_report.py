"""From report to news: the training office turns a year's summary paragraph into a draft
article that an editor finishes in the admin; the school board, which changes nothing, may not."""

from django.urls import reverse

from daotao.accounts import roles
from daotao.portal.models import Article, ArticleStatus, Category
from daotao.reports.annual import annual_report
from daotao.reports.tests.world import ReportWorldTestCase
from daotao.testing import make_user

URL = reverse("portal:draft_from_report")
REPORT = reverse("reports:annual")


class DraftFromReportTests(ReportWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.editor = make_user("editor", roles.EDITOR)
        cls.category = Category.objects.create(name="Tin hoạt động", slug="tin-hoat-dong", order=1)
        Category.objects.create(name="Nghiên cứu khoa học", slug="nghien-cuu-khoa-hoc", order=2)

    def login(self, user):
        self.client.force_login(user)

    def post(self, year=2020, template="coordination-yearly"):
        return self.client.post(URL, {"year": year, "template": template})

    def test_the_office_makes_a_draft_with_the_summary(self):
        self.login(self.office)
        response = self.post()
        report = annual_report(2020, self.office)
        self.assertRedirects(response, f"{REPORT}?year=2020&template=coordination-yearly")
        article = Article.objects.get()
        self.assertEqual(article.status, ArticleStatus.DRAFT)
        self.assertEqual(article.author, self.office)
        self.assertEqual(article.category, self.category)
        self.assertEqual(article.title, report.title)
        self.assertEqual(article.summary, report.summary)
        self.assertIn("mở 10 lớp Trung cấp lý luận chính trị", article.summary)
        self.assertTrue(article.body.startswith("<p>") and "10 lớp" in article.body)
        self.assertFalse(Article.objects.published().exists())
        self.assertContains(self.client.get(response["Location"]), "biên tập viên")

    def test_an_editor_goes_on_to_the_admin(self):
        self.editor.groups.add(*self.office.groups.all())  # an editor in the training office too
        self.login(self.editor)
        response = self.post()
        article = Article.objects.get()
        self.assertRedirects(response, reverse("admin:portal_article_change", args=[article.pk]))
        self.assertEqual(article.author, self.editor)

    def test_a_superuser_goes_on_to_the_admin(self):
        self.login(self.superuser)
        response = self.post()
        self.assertRedirects(response, reverse("admin:portal_article_change", args=[Article.objects.get().pk]))

    def test_two_drafts_get_two_addresses(self):
        self.login(self.office)
        self.post()
        self.post()
        slugs = sorted(Article.objects.values_list("slug", flat=True))
        self.assertEqual(len(set(slugs)), 2)
        self.assertEqual(slugs[1], slugs[0] + "-2")

    def test_the_button_is_on_the_report_for_the_office_only(self):
        for user, shown in (
            (self.office, True),
            (self.superuser, True),
            (self.board, False),
            (self.coordinator, False),
        ):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(REPORT, {"year": 2020})
                self.assertEqual(URL in response.content.decode(), shown)

    def test_the_board_reads_the_report_but_makes_no_draft(self):
        self.login(self.board)
        self.assertEqual(self.client.get(REPORT, {"year": 2020}).status_code, 200)
        self.assertEqual(self.post().status_code, 403)
        self.assertFalse(Article.objects.exists())

    def test_coordinators_may_not_publish_their_partial_figures(self):
        self.login(self.coordinator)
        self.assertEqual(self.post().status_code, 403)
        self.assertFalse(Article.objects.exists())

    def test_anonymous_and_outsiders(self):
        response = self.post()
        self.assertRedirects(response, f"{reverse('login')}?next={URL}", fetch_redirect_response=False)
        for user in (self.nobody, self.unscoped, self.editor):  # an editor alone does not see reports
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.post().status_code, 403)
        self.assertFalse(Article.objects.exists())

    def test_only_post(self):
        self.login(self.office)
        self.assertEqual(self.client.get(URL).status_code, 405)

    def test_bad_input_makes_nothing(self):
        self.login(self.office)
        for year, template in (
            ("abc", "coordination-yearly"),
            (1800, "coordination-yearly"),
            (2020, "khong-co"),
            ("", ""),
        ):
            with self.subTest(year=year, template=template):
                response = self.post(year, template)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(REPORT))
        self.assertFalse(Article.objects.exists())

    def test_without_a_category(self):
        Category.objects.all().delete()
        self.login(self.office)
        response = self.post()
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Article.objects.exists())
        self.assertContains(self.client.get(response["Location"]), "chuyên mục")
