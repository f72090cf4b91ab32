"""Peer observation: any lecturer records their own, the office anyone's; never of one's
own lesson; one per observer and lesson."""

from django.core.exceptions import PermissionDenied, ValidationError

from daotao.teaching import services
from daotao.teaching.models import PeerObservation
from daotao.teaching.tests.base import TeachingTestCase
from daotao.testing import make_lecturer


class ObservationRecordTests(TeachingTestCase):
    def setUp(self):
        self.lesson = self.schedule()

    def test_a_colleague_observes_and_can_change_it(self):
        services.observation_record(
            user=self.other_lecturer_user, lesson=self.lesson, observer=self.other_lecturer, rating="good"
        )
        services.observation_record(
            user=self.other_lecturer_user,
            lesson=self.lesson,
            observer=self.other_lecturer,
            rating="excellent",
            notes="Tổ chức thảo luận nhóm tốt.",
        )
        observation = PeerObservation.objects.get()
        self.assertEqual((observation.rating, observation.notes), ("excellent", "Tổ chức thảo luận nhóm tốt."))

    def test_any_lecturer_of_the_school_and_the_office(self):
        stranger = make_lecturer("Phạm Văn Khách", self.other_faculty, "gv9")  # teaches no class
        services.observation_record(user=stranger.user, lesson=self.lesson, observer=stranger, rating="satisfactory")
        services.observation_record(user=self.office, lesson=self.lesson, observer=self.other_lecturer, rating="good")
        self.assertEqual(PeerObservation.objects.count(), 2)

    def test_refusals(self):
        with self.assertRaises(ValidationError):
            services.observation_record(user=self.office, lesson=self.lesson, observer=self.lecturer, rating="good")
        with self.assertRaises(PermissionDenied):  # on behalf of someone else
            services.observation_record(
                user=self.lecturer_user, lesson=self.lesson, observer=self.other_lecturer, rating="good"
            )
        with self.assertRaises(PermissionDenied):
            services.observation_record(
                user=self.coordinator, lesson=self.lesson, observer=self.other_lecturer, rating="good"
            )
        with self.assertRaises(ValidationError):
            services.observation_record(
                user=self.other_lecturer_user, lesson=self.lesson, observer=self.other_lecturer, rating="superb"
            )
        self.assertFalse(PeerObservation.objects.exists())
