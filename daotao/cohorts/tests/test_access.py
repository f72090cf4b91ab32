"""The one rule for opening a class (``cohorts.access.cohort_for_user``): whole, with only
one's own students, or 404; and ``whole`` for the pages about the whole class."""

from django.http import Http404

from daotao.accounts import roles
from daotao.accounts.scope import scope_of
from daotao.cohorts.access import cohort_for_user, localities_for, recordable_students, units_for
from daotao.cohorts.models import Enrollment
from daotao.org.models import UnitKind
from daotao.testing import TeachingWorldTestCase, make_student, make_unit, make_user


class CohortForUserTests(TeachingWorldTestCase):
    """``cohort`` (TC01) is held in H01; one student of ``other_cohort`` (TC02, held in H02)
    comes from H01, another was sent by the agency."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.agency = make_unit("SNV", "Sở Nội vụ", UnitKind.AGENCY, cls.province)
        cls.agency_user = make_user("snv", roles.SENDING_AGENCY, cls.agency)
        cls.from_h01 = Enrollment.objects.create(
            cohort=cls.other_cohort, student=make_student("Trần Thị Bình", locality=cls.h01)
        )
        cls.from_agency = Enrollment.objects.create(
            cohort=cls.other_cohort, student=make_student("Lê Văn Cường", locality=cls.h03, agency=cls.agency)
        )

    def opened(self, user, cohort, **options):
        opened = cohort_for_user(user, pk=cohort.pk, **options)
        return opened.whole, sorted(opened.enrollments.values_list("pk", flat=True))

    def test_who_sees_a_class_whole(self):
        every = sorted(self.other_cohort.enrollments.values_list("pk", flat=True))
        for user in (self.office, self.board, self.other_coordinator, self.other_lecturer_user):
            with self.subTest(user.username):
                self.assertEqual(self.opened(user, self.other_cohort), (True, every))
                self.assertEqual(self.opened(user, self.other_cohort, whole=True), (True, every))

    def test_a_coordinator_and_an_agency_open_a_class_held_elsewhere_with_only_their_students(self):
        self.assertEqual(self.opened(self.coordinator, self.other_cohort), (False, [self.from_h01.pk]))
        self.assertEqual(self.opened(self.agency_user, self.other_cohort), (False, [self.from_agency.pk]))

    def test_a_student_opens_their_class_with_only_themself(self):
        own = self.enrollments[0]
        self.assertEqual(self.opened(self.student_user, self.cohort), (False, [own.pk]))

    def test_pages_about_the_whole_class_are_404_to_those_who_see_only_some_students(self):
        for user, cohort in (
            (self.coordinator, self.other_cohort),
            (self.agency_user, self.other_cohort),
            (self.student_user, self.cohort),
        ):
            with self.subTest(user.username), self.assertRaises(Http404):
                cohort_for_user(user, whole=True, pk=cohort.pk)

    def test_outsiders_get_404(self):
        for user, cohort in (
            (self.other_coordinator, self.cohort),
            (self.other_student_user, self.cohort),
            (self.nobody, self.cohort),
            (self.lecturer_user, self.other_cohort),
        ):
            with self.subTest(user.username), self.assertRaises(Http404):
                cohort_for_user(user, pk=cohort.pk)

    def test_one_query_for_a_class_seen_whole_two_otherwise(self):
        for user in (self.office, self.coordinator):
            scope_of(user)  # the scope is computed once per user, before
        with self.assertNumQueries(1):
            cohort_for_user(self.office, pk=self.cohort.pk)
        with self.assertNumQueries(2):
            cohort_for_user(self.coordinator, pk=self.other_cohort.pk)


class UnitsAndStudentsTests(TeachingWorldTestCase):
    def test_localities_a_user_may_pick(self):
        self.assertEqual(set(localities_for(self.office)), {self.h01, self.x01, self.h02, self.h03})
        self.assertEqual(set(localities_for(self.coordinator)), {self.h01, self.x01})

    def test_units_a_user_answers_for(self):
        self.assertIn(self.h02, units_for(self.board))
        self.assertEqual(set(units_for(self.coordinator)), {self.h01, self.x01})
        self.assertEqual(list(units_for(self.lecturer_user)), [])

    def test_students_whose_career_events_a_user_records(self):
        own = {e.student_id for e in self.enrollments}
        self.assertEqual(set(recordable_students(self.coordinator).values_list("pk", flat=True)), own)
        self.assertEqual(recordable_students(self.office).count(), 9)
        for user in (self.board, self.lecturer_user, self.student_user):
            with self.subTest(user.username):
                self.assertFalse(recordable_students(user).exists())
