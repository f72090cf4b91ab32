"""The staff page listing students: search, order, scope, query count."""

from django.urls import reverse

from daotao.testing import WorldTestCase, load_testdata, make_student


class StudentListTests(WorldTestCase):
    url = reverse("people:students")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for name in load_testdata("names-order.json")["input"]:
            make_student(name, locality=cls.h01)
        make_student("Trần Thị Ngọc Diệp", locality=cls.h02)

    def login(self, user):
        self.client.force_login(user)

    def test_lists_in_vietnamese_order(self):
        self.login(self.coordinator)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        expected = load_testdata("names-order.json")["expected"]
        shown = [name for name in (s.full_name for s in response.context["page"])]
        self.assertEqual(shown, expected)

    def test_search_ignores_diacritics(self):
        self.login(self.office)
        response = self.client.get(self.url, {"q": "tran thi ngoc diep"})
        self.assertContains(response, "Trần Thị Ngọc Diệp")
        self.assertEqual(response.context["page"].paginator.count, 1)

    def test_a_long_search_reads_its_first_hundred_characters(self):
        self.login(self.office)
        query = "ngoc diep " + " ".join(f"tu{i}" for i in range(2000))
        response = self.client.get(self.url, {"q": query})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["query"], query[:100])
        self.assertContains(response, 'maxlength="100"')

    def test_coordinator_does_not_see_other_localities(self):
        self.login(self.coordinator)
        response = self.client.get(self.url, {"q": "diep"})
        self.assertNotContains(response, "Trần Thị Ngọc Diệp")

    def test_anonymous_is_sent_to_sign_in_and_roleless_refused(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('login')}?next={self.url}")
        self.login(self.nobody)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_query_count_is_constant(self):
        self.login(self.office)
        self.client.get(self.url)  # warm: session, user
        with self.assertNumQueries(5):  # session, user, roles, count, page
            self.client.get(self.url)
        for index in range(30):
            make_student(f"Phạm Văn Số {index}", locality=self.h03)
        with self.assertNumQueries(5):
            self.client.get(self.url)


class StudentListPagesTests(WorldTestCase):
    def test_pages_keep_the_search(self):
        for index in range(55):
            make_student(f"Nguyễn Văn Số {index}", locality=self.h01)
        self.client.force_login(self.office)
        response = self.client.get(reverse("people:students"), {"q": "nguyen van"})
        self.assertContains(response, "?q=nguyen+van&amp;page=2")
        second = self.client.get(reverse("people:students"), {"q": "nguyen van", "page": 2})
        self.assertEqual(len(second.context["page"]), 5)
        self.assertContains(second, "Trang 2 / 2")
