"""Two registrations of a student's first topic at once (real threads, each with its own
database connection, on SQLite and PostgreSQL): one essay, the last topic, no database
error. The enrollment's row is locked first: the essay's does not exist yet."""

from daotao.essays import services
from daotao.essays.models import Essay
from daotao.programs.models import ModuleKind
from daotao.testing import TransactionalTeachingWorld, make_module, overlapping, run_at_once


class ConcurrentRegistrationTests(TransactionalTeachingWorld):
    def setUp(self):
        super().setUp()
        make_module(self.tc, "TN", 0, (("Tiểu luận tốt nghiệp", "essay", 100, True),), kind=ModuleKind.GRADUATION)

    def test_two_first_registrations_at_once_make_one_essay(self):
        enrollment = self.enrollments[0]

        def register(title):
            return services.essay_register(user=self.office, enrollment=enrollment, title=title).pk

        with overlapping(Essay, "full_clean"):
            results, errors = run_at_once(register, ["Chuyển đổi số ở cơ sở", "Giảm nghèo bền vững"])
        self.assertEqual(errors, [])
        self.assertEqual(len(set(results)), 1)
        essay = Essay.objects.get()
        self.assertIn(essay.title, ("Chuyển đổi số ở cơ sở", "Giảm nghèo bền vững"))
