"""Building a class's timetable from its curriculum: the office's page (choices, preview as
a week view grouped by module, edits, save all or nothing with clashes named); nobody else
opens it."""

import datetime as dt

import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from daotao.lib.vietnamese import format_date
from daotao.teaching.models import Holiday, Lesson, Room, Unavailability
from daotao.teaching.tests.base import TODAY, TeachingTestCase
from daotao.teaching.timetable import Layout, PlannedLesson, timetable_save
from daotao.testing import TEST_AND_EXAM, make_module


@time_machine.travel(TODAY, tick=False)
class TimetableGenerateTests(TeachingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.url = reverse("teaching:generate", args=[cls.cohort.pk])
        cls.modules = [cls.m1, cls.m2, cls.m3]
        cls.room = Room.objects.create(name="Phòng 201", capacity=40)

    def options(self, **changes):
        data = {
            "start": "02/03/2026",
            "weekdays": ["0", "2", "4"],
            "sessions": ["morning"],
            "periods_per_lesson": "5",
            "place": "school",
            "room": "",
            "venue": "",
            "m-TOTAL_FORMS": "3",
            "m-INITIAL_FORMS": "3",
        }
        lecturers = {self.m1.pk: self.lecturer, self.m2.pk: self.lecturer, self.m3.pk: self.other_lecturer}
        for index, module in enumerate(self.modules):
            data[f"m-{index}-module"] = str(module.pk)
            data[f"m-{index}-include"] = "on"
            data[f"m-{index}-order"] = str(index + 1)
            data[f"m-{index}-lecturers"] = [str(lecturers[module.pk].pk)]
        data.update(changes)
        return data

    def preview(self, **changes):
        self.login(self.office)
        return self.client.post(self.url, {**self.options(**changes), "action": "preview"})

    def lesson_data(self, response, edit=None):
        """The preview's lesson rows as the page posts them back, with ``edit`` (row -> changes)."""
        formset = response.context["lesson_formset"]
        data = {"l-TOTAL_FORMS": str(len(formset.forms)), "l-INITIAL_FORMS": str(len(formset.forms))}
        for index, form in enumerate(formset.forms):
            row = dict(form.initial)
            row.update((edit or {}).get(index, {}))
            for key, value in row.items():
                data[f"l-{index}-{key}"] = format_date(value) if isinstance(value, dt.date) else str(value)
        return data

    def save(self, preview_response, edit=None, **changes):
        data = {**self.options(**changes), **self.lesson_data(preview_response, edit), "action": "save"}
        return self.client.post(self.url, data)

    def test_the_office_opens_the_page_with_the_class_s_modules_and_lecturers(self):
        self.login(self.office)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        rows = response.context["module_rows"]
        self.assertEqual([row.module for row in rows], self.modules)
        self.assertEqual(rows[0].form.initial["lecturers"], [self.lecturer.pk])
        self.assertEqual([row.periods_left for row in rows], [60, 45, 30])
        self.assertContains(response, "HP1")
        timetable = self.client.get(reverse("teaching:cohort", args=[self.cohort.pk]))
        self.assertContains(timetable, self.url)  # reached from the class's timetable

    def test_preview_lays_out_every_module_in_order_and_saves_nothing(self):
        response = self.preview()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["count"], 12 + 9 + 6)
        initial = [form.initial for form in response.context["lesson_formset"].forms]
        self.assertEqual(initial[0]["date"], dt.date(2026, 3, 2))
        self.assertEqual({x["module"] for x in initial[:12]}, {self.m1.pk})
        self.assertEqual({x["date"].weekday() for x in initial}, {0, 2, 4})
        self.assertEqual([g["module"] for g in response.context["groups"]], self.modules)
        self.assertTrue(response.context["weeks"])
        self.assertContains(response, 'draggable="true"', count=27)
        self.assertFalse(Lesson.objects.exists())

    def test_the_order_typed_decides_and_holidays_are_skipped(self):
        Holiday.objects.create(name="Nghỉ bù", first_day=dt.date(2026, 3, 2), last_day=dt.date(2026, 3, 4))
        response = self.preview(**{"m-2-order": "1", "m-0-order": "3"})
        initial = [form.initial for form in response.context["lesson_formset"].forms]
        self.assertEqual(initial[0]["module"], self.m3.pk)
        self.assertEqual(initial[0]["date"], dt.date(2026, 3, 6))  # Monday and Wednesday off
        self.assertEqual(initial[-1]["module"], self.m1.pk)

    def test_save_writes_every_lesson_with_the_room(self):
        response = self.preview(room=str(self.room.pk))
        response = self.save(response, room=str(self.room.pk))
        self.assertRedirects(response, reverse("teaching:cohort", args=[self.cohort.pk]))
        lessons = Lesson.objects.filter(cohort=self.cohort)
        self.assertEqual(lessons.count(), 27)
        self.assertEqual(set(lessons.values_list("room_id", flat=True)), {self.room.pk})
        # What is in the timetable is not laid out again.
        self.assertEqual([row.periods_left for row in self.client.get(self.url).context["module_rows"]], [0, 0, 0])

    def test_an_edit_moves_a_lesson(self):
        response = self.preview()
        self.save(response, edit={0: {"date": dt.date(2026, 3, 3), "session": "afternoon"}})
        moved = Lesson.objects.filter(cohort=self.cohort).order_by("date", "pk").first()
        self.assertEqual((moved.date, moved.session), (dt.date(2026, 3, 3), "afternoon"))

    def test_two_lessons_in_one_half_day_are_refused_with_both_named(self):
        response = self.preview()
        response = self.save(response, edit={1: {"date": dt.date(2026, 3, 2)}})
        self.assertEqual(response.status_code, 200)
        self.assertIn("1 và 2", " ".join(response.context["problems"]))
        self.assertFalse(Lesson.objects.exists())

    def test_a_clash_with_another_class_refuses_the_whole_timetable(self):
        response = self.preview()
        # The lecturer is booked elsewhere since the preview was shown.
        self.schedule(cohort=self.other_cohort, lecturer=self.other_lecturer, date=dt.date(2026, 3, 3))
        last = len(response.context["lesson_formset"].forms) - 1
        response = self.save(response, edit={last: {"date": dt.date(2026, 3, 3), "session": "morning"}})
        self.assertEqual(response.status_code, 200)
        problems = " ".join(response.context["problems"])
        self.assertIn("03/03/2026", problems)
        self.assertIn("TC02", problems)
        self.assertFalse(Lesson.objects.filter(cohort=self.cohort).exists())

    def test_a_lecturer_s_unavailable_days_are_passed_over_and_refused_when_typed(self):
        Unavailability.objects.create(
            lecturer=self.lecturer, first_day=dt.date(2026, 3, 2), last_day=dt.date(2026, 3, 2), reason="Công tác"
        )
        response = self.preview()
        initial = [form.initial for form in response.context["lesson_formset"].forms]
        self.assertEqual(initial[0]["date"], dt.date(2026, 3, 4))
        self.assertEqual(len(response.context["passed_over"]), 1)
        response = self.save(response, edit={0: {"date": dt.date(2026, 3, 2)}})
        self.assertIn("Công tác", " ".join(response.context["problems"]))
        self.assertFalse(Lesson.objects.exists())

    def test_a_room_booked_by_another_class_is_passed_over(self):
        self.schedule(
            cohort=self.other_cohort,
            module=self.m1,
            lecturer=self.other_lecturer,
            date=dt.date(2026, 3, 2),
            room=self.room,
        )
        response = self.preview(room=str(self.room.pk))
        initial = [form.initial for form in response.context["lesson_formset"].forms]
        self.assertEqual(initial[0]["date"], dt.date(2026, 3, 4))
        self.assertIn("phòng", str(response.context["passed_over"][0].reason))

    def test_a_room_too_small_is_refused(self):
        small = Room.objects.create(name="Phòng nhỏ", capacity=3)
        response = self.preview(room=str(small.pk))
        self.assertEqual(response.status_code, 200)
        self.assertIn("3", " ".join(response.context["options"].errors["room"]))
        self.assertNotIn("preview", response.context)

    def test_bad_choices_redisplay_the_form(self):
        response = self.preview(start="31/02/2026", weekdays=[])
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["options"].errors["start"])
        self.assertTrue(response.context["options"].errors["weekdays"])
        response = self.preview(**{"m-0-lecturers": []})
        self.assertTrue(response.context["module_formset"].forms[0].errors["lecturers"])
        response = self.preview(periods_per_lesson="0")
        self.assertTrue(response.context["options"].errors["periods_per_lesson"])

    def test_a_tampered_lecturer_is_refused(self):
        response = self.preview()
        response = self.save(response, edit={0: {"lecturer": self.other_lecturer.pk}})
        self.assertEqual(response.status_code, 200)
        self.assertIn("HP1", " ".join(response.context["problems"]))
        self.assertFalse(Lesson.objects.exists())

    def test_queries_do_not_grow_with_modules_or_lessons(self):
        self.login(self.office)
        self.client.get(self.url)
        with self.assertNumQueries(9) as first:
            self.client.get(self.url)
        with self.assertNumQueries(15) as preview:
            self.client.post(self.url, {**self.options(), "action": "preview"})
        for number in range(4, 9):
            make_module(self.tc, f"HP{number}", 20, TEST_AND_EXAM)
        self.schedule(cohort=self.other_cohort, lecturer=self.other_lecturer, date=dt.date(2026, 3, 5))
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(self.url)
        with self.assertNumQueries(len(preview.captured_queries)):
            self.client.post(self.url, {**self.options(), "m-TOTAL_FORMS": "3", "action": "preview"})

    def test_dates_far_away_are_refused_not_a_server_error(self):
        response = self.preview(start="31/12/9999")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["options"].errors["start"])
        response = self.preview()
        response = self.save(response, edit={0: {"date": dt.date(2099, 1, 1)}, 1: {"date": dt.date(9999, 12, 30)}})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["lesson_formset"].forms[1].errors["date"])
        response = self.save(self.preview(), edit={0: {"date": dt.date(2099, 1, 1)}})
        self.assertIn("01/01/2099", " ".join(response.context["problems"]))
        self.assertFalse(Lesson.objects.exists())

    def test_a_module_is_never_laid_out_twice(self):
        # A module's row posted twice counts once.
        response = self.preview(
            **{
                "m-TOTAL_FORMS": "4",
                "m-3-module": str(self.m1.pk),
                "m-3-include": "on",
                "m-3-order": "4",
                "m-3-lecturers": [str(self.lecturer.pk)],
            }
        )
        self.assertEqual(response.context["count"], 27)
        # A preview saved twice (a second tab, or two offices at once): the second is refused.
        first = self.preview()
        second = self.preview(start="09/03/2026")
        planned_before = [
            PlannedLesson(
                f.initial["module"], f.initial["lecturer"], f.initial["date"], "afternoon", f.initial["periods"]
            )
            for f in second.context["lesson_formset"].forms
        ]
        self.assertRedirects(self.save(first), reverse("teaching:cohort", args=[self.cohort.pk]))
        response = self.save(second, start="09/03/2026")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["options"].non_field_errors())
        # The same from a layout made before the first save, straight through the service.
        with self.assertRaisesMessage(ValidationError, "HP1"):
            timetable_save(user=self.office, cohort=self.cohort, layout=Layout(planned_before), place="school")
        self.assertEqual(Lesson.objects.filter(cohort=self.cohort).count(), 27)

    def test_only_the_office_opens_it(self):
        for user in (self.board, self.coordinator, self.lecturer_user, self.student_user, self.nobody):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403, user)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)
