"""One's own timetable as an iCalendar feed at a private address: made and shown once, only
its digest stored, a new one ends the old; the lecturer's own lessons, the student's class."""

import datetime as dt

import time_machine
from django.urls import reverse
from icalendar import Calendar

from daotao.accounts.models import key_digest
from daotao.teaching.models import CalendarFeed, Room
from daotao.teaching.tests.base import TODAY, TeachingTestCase


@time_machine.travel(TODAY, tick=False)
class CalendarFeedTests(TeachingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.room = Room.objects.create(name="Phòng 201", capacity=40)
        cls.own = cls.schedule(date=dt.date(2026, 3, 23), room=cls.room, topic="Đổi mới; ứng dụng, thực tiễn")
        cls.colleague = cls.schedule(date=dt.date(2026, 3, 24), module=cls.m3, lecturer=cls.other_lecturer)
        cls.elsewhere = cls.schedule(cohort=cls.other_cohort, lecturer=cls.other_lecturer, date=dt.date(2026, 3, 25))

    def issue(self, user) -> str:
        self.client.force_login(user)
        response = self.client.post(reverse("teaching:feed_issue"))
        self.assertEqual(response.status_code, 200)
        url = response.context["url"]
        self.assertIn("/teaching/feed/cal_", url)
        return url[url.index("/teaching/") :]

    def events(self, path):
        self.client.logout()
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/calendar"))
        return [c for c in Calendar.from_ical(response.content).walk("VEVENT")]

    def test_a_lecturer_s_feed_holds_their_own_lessons(self):
        path = self.issue(self.lecturer_user)
        events = self.events(path)
        self.assertEqual([str(e["uid"]) for e in events], [f"lesson-{self.own.pk}@daotao"])
        event = events[0]
        # Monday 23/03/2026, morning: 07:00 to 11:20 in Hà Nội, five periods of 45 minutes.
        self.assertEqual(event.decoded("dtstart"), dt.datetime(2026, 3, 23, 0, 0, tzinfo=dt.UTC))
        self.assertEqual(event.decoded("dtend"), dt.datetime(2026, 3, 23, 4, 5, tzinfo=dt.UTC))
        self.assertEqual(str(event["location"]), "Phòng 201")
        self.assertIn("Đổi mới; ứng dụng, thực tiễn", event.decoded("description").decode())
        self.assertIn("TC01", str(event["summary"]))

    def test_a_student_s_feed_holds_their_class_s_lessons(self):
        path = self.issue(self.student_user)
        uids = {str(e["uid"]) for e in self.events(path)}
        self.assertEqual(uids, {f"lesson-{self.own.pk}@daotao", f"lesson-{self.colleague.pk}@daotao"})

    def test_only_the_digest_is_stored_and_a_new_address_ends_the_old(self):
        first = self.issue(self.lecturer_user)
        key = first.rsplit("/", 1)[1].removesuffix(".ics")
        self.assertEqual(CalendarFeed.objects.get(user=self.lecturer_user).key_hash, key_digest(key))
        self.assertFalse(CalendarFeed.objects.filter(key_hash=key).exists())
        second = self.issue(self.lecturer_user)
        self.assertNotEqual(first, second)
        self.client.logout()
        self.assertEqual(self.client.get(first).status_code, 404)
        self.assertEqual(self.client.get(second).status_code, 200)

    def test_revoked_wrong_and_inactive_keys_open_nothing(self):
        path = self.issue(self.lecturer_user)
        self.client.post(reverse("teaching:feed_revoke"))
        self.client.logout()
        self.assertEqual(self.client.get(path).status_code, 404)
        self.assertEqual(self.client.get(reverse("teaching:feed", args=["cal_" + "x" * 43])).status_code, 404)
        self.assertEqual(self.client.get(reverse("teaching:feed", args=["x" * 300])).status_code, 404)
        path = self.issue(self.lecturer_user)
        type(self.lecturer_user).objects.filter(pk=self.lecturer_user.pk).update(is_active=False)
        self.client.logout()
        self.assertEqual(self.client.get(path).status_code, 404)

    def test_the_schedule_page_offers_it_and_others_cannot_make_one(self):
        self.client.force_login(self.lecturer_user)
        response = self.client.get(reverse("teaching:my"))
        self.assertContains(response, reverse("teaching:feed_issue"))
        for user in (self.office, self.coordinator, self.nobody):
            self.client.force_login(user)
            self.assertEqual(self.client.post(reverse("teaching:feed_issue")).status_code, 403)
        self.client.force_login(self.lecturer_user)
        self.assertEqual(self.client.get(reverse("teaching:feed_issue")).status_code, 405)
