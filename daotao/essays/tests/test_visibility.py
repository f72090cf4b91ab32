"""Who sees which essays and which topics of the bank."""

from daotao.essays.models import Essay, LocalIssue
from daotao.essays.tests.world import EssayWorldTestCase, assigned, register
from daotao.org.models import UnitKind
from daotao.testing import make_unit


class EssayVisibilityTests(EssayWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.essay = register(cls, local_issue=cls.issue)
        # An essay of the other class (H02) supervised by gv1, who does not teach that class.
        cls.supervised = assigned(cls, cls.other_enrollments[1], title="Đề tài ở Phú Mỹ", supervisor=cls.lecturer)
        cls.other = register(cls, cls.other_enrollments[2], title="Một đề tài khác ở Phú Mỹ")

    def visible(self, user):
        return set(Essay.objects.visible_to(user))

    def test_the_office_and_the_board_see_all(self):
        for user in (self.office, self.board, self.superuser):
            self.assertEqual(self.visible(user), {self.essay, self.supervised, self.other})

    def test_a_student_sees_only_their_own(self):
        self.assertEqual(self.visible(self.student_user), {self.essay})
        self.assertEqual(self.visible(self.other_student_user), set())

    def test_a_lecturer_sees_the_classes_they_teach_and_the_essays_they_supervise_or_grade(self):
        self.assertEqual(self.visible(self.lecturer_user), {self.essay, self.supervised})
        # gv2 teaches both classes; gv3 teaches none and grades the supervised essay.
        self.assertEqual(self.visible(self.other_lecturer_user), {self.essay, self.supervised, self.other})
        self.assertEqual(self.visible(self.grader_user), {self.supervised})

    def test_a_coordinator_sees_their_localitys(self):
        self.assertEqual(self.visible(self.coordinator), {self.essay})
        self.assertEqual(self.visible(self.other_coordinator), {self.supervised, self.other})
        self.assertEqual(self.visible(self.nobody), set())
        self.assertEqual(self.visible(self.unscoped), set())


class IssueVisibilityTests(EssayWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.h02_proposal = LocalIssue.objects.create(locality=cls.h02, title="Đề xuất của Phú Mỹ", year=2026)
        cls.retired = LocalIssue.objects.create(locality=cls.h01, title="Cũ", year=2020, status="retired")
        village = make_unit("X0101-T1", "Tổ dân phố 1", UnitKind.COMMUNE, cls.x01)
        cls.village_proposal = LocalIssue.objects.create(locality=village, title="Đề xuất của tổ", year=2026)

    def visible(self, user):
        return set(LocalIssue.objects.visible_to(user))

    def test_approved_issues_for_anyone_signed_in_with_a_role(self):
        for user in (self.student_user, self.lecturer_user, self.other_coordinator, self.coordinator):
            with self.subTest(user=user.username):
                self.assertIn(self.issue, self.visible(user))
        self.assertEqual(self.visible(self.nobody), set())

    def test_proposals_to_their_localitys_coordinators_and_the_office(self):
        self.assertEqual(
            self.visible(self.coordinator), {self.issue, self.proposal, self.retired, self.village_proposal}
        )
        self.assertEqual(self.visible(self.other_coordinator), {self.issue, self.h02_proposal})
        self.assertEqual(self.visible(self.commune_coordinator), {self.issue, self.village_proposal})
        self.assertEqual(self.visible(self.student_user), {self.issue})
        self.assertEqual(self.visible(self.lecturer_user), {self.issue})
        everything = {self.issue, self.proposal, self.retired, self.h02_proposal, self.village_proposal}
        self.assertEqual(self.visible(self.office), everything)
        self.assertEqual(self.visible(self.board), everything)
