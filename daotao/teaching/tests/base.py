"""The teaching world plus a way to schedule lessons through the real service."""

from __future__ import annotations

import datetime as dt

from daotao.teaching import services
from daotao.teaching.models import Lesson
from daotao.testing import TeachingWorldTestCase

DAY = dt.date(2026, 3, 10)  # a Tuesday, after the classes opened on 02/03/2026
TODAY = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)  # for time_machine.travel


class TeachingTestCase(TeachingWorldTestCase):
    @classmethod
    def schedule(cls, **changes) -> Lesson:
        values = {
            "user": cls.office,
            "cohort": cls.cohort,
            "module": cls.m1,
            "lecturer": cls.lecturer,
            "date": DAY,
            "session": "morning",
            "periods": 5,
        }
        values.update(changes)
        return services.lesson_schedule(**values)

    def login(self, user) -> None:
        self.client.force_login(user)
