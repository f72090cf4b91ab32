"""Anonymous evaluations stay anonymous for someone who reads the database.

Forms are submitted through their real links, each in its own committed transaction as in
production, in a known order and each carrying a mark that tells the test who sent it (the
answer to the number question). Then every way a database administrator has of tying a
response to an invitation is tried: the transaction id (PostgreSQL's ``xmin``), the physical
order of rows (``ctid``, ``rowid``) and of keys against the order of submission, times, and
the pool's rows while the round is open. None may do better than chance.

A random order is checked against the order of submission by two measures whose bounds a
shuffled batch exceeds less than once in a hundred thousand runs: the number of responses
in their submitter's place (expected 1, bound 8) and the rank correlation (expected 0,
standard deviation about 0,16 for 40 forms, bound 0,75)."""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.db import connection, models
from django.test import TransactionTestCase
from django.urls import reverse

from daotao.surveys import pool, services
from daotao.surveys.models import Answer, Invitation, Response, SealedResponse, SurveyRound
from daotao.surveys.tests.base import make_questionnaire
from daotao.testing import build_world, enroll, make_cohort

FORMS = 40
OPENS, CLOSES = dt.date(2026, 6, 1), dt.date(2026, 6, 15)
DURING = dt.datetime(2026, 6, 3, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
MARK = 100  # the number answered by the i-th submitter is MARK + i


def fixed_points(order: list[int]) -> int:
    """How many responses sit in their submitter's place (``order`` lists submitters)."""
    return sum(1 for place, submitter in enumerate(order) if place == submitter)


def rank_correlation(order: list[int]) -> float:
    """Spearman's rho between the place of each response and its submitter's rank."""
    n = len(order)
    return 1 - 6 * sum((place - submitter) ** 2 for place, submitter in enumerate(order)) / (n * (n * n - 1))


class LinkingAttackTests(TransactionTestCase):
    def setUp(self):
        build_world(self)
        cohort = make_cohort("TC09", self.programs["TC-LLCT-HC"], self.h01, dt.date(2026, 1, 5))
        enroll(cohort, FORMS)
        self.version, self.questions = make_questionnaire(ratings=2)
        self.number = next(q for q in self.questions if q.kind == "number")
        self.text = next(q for q in self.questions if q.kind == "text")
        self.round = services.round_create(
            user=self.office, title="Đánh giá khóa học TC09", version=self.version, cohort=cohort, phase="end",
            subject="course", audience="students", anonymous=True, opens_on=OPENS, closes_on=CLOSES,
        )  # fmt: skip
        services.invitations_create(survey_round=self.round)
        invitations = list(Invitation.objects.filter(round=self.round).order_by("id"))
        # A submission order unrelated to the order of the invitations.
        random.Random(15).shuffle(invitations)
        self.submitters = invitations

    def submit(self, start: int = 0, stop: int = FORMS) -> None:
        """The submitters ``start`` to ``stop`` (exclusive) answer, in that order."""
        ratings = [q for q in self.questions if q.kind == "rating"]
        with time_machine.travel(DURING, tick=False):
            for index, invitation in enumerate(self.submitters[start:stop], start=start):
                data = {f"q{q.pk}": str(1 + (index + q.pk) % 10) for q in ratings}
                data[f"q{self.number.pk}"] = str(MARK + index)
                # Texts of different lengths: a length seen in the pool must not find its answer.
                data[f"q{self.text.pk}"] = "Ý kiến " + "x" * index
                page = self.client.post(reverse("surveys:answer", args=[invitation.token]), data)
                self.assertEqual(page.status_code, 302, page.content[:300])

    def close(self) -> None:
        """The daily step, the day after the round closed."""
        call_command("send_survey_invitations", today=(CLOSES + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
                     stdout=io.StringIO())  # fmt: skip

    def submitter_order(self, table: str, physical: str) -> list[int]:
        """The submitters of the round's responses, in the order of ``physical`` (a system
        column) of ``table`` (responses, or answers to the number question)."""
        if table == "surveys_response":
            sql = (
                "SELECT a.number FROM surveys_response r JOIN surveys_answer a ON a.response_id = r.id "
                f"WHERE r.round_id = %s AND a.question_id = %s ORDER BY r.{physical}"
            )
        else:
            sql = f"SELECT a.number FROM surveys_answer a WHERE a.question_id = %s ORDER BY a.{physical}"
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.round.pk, self.number.pk] if table == "surveys_response" else [self.number.pk])
            return [int(number) - MARK for (number,) in cursor.fetchall()]

    def physical_columns(self) -> list[str]:
        return ["ctid"] if connection.vendor == "postgresql" else ["rowid"]

    def assert_no_better_than_chance(self, order: list[int], what: str) -> None:
        self.assertEqual(sorted(order), list(range(len(order))), what)
        self.assertLessEqual(fixed_points(order), 8, f"{what}: {order}")
        self.assertLess(abs(rank_correlation(order)), 0.75, f"{what}: {order}")

    def test_nothing_in_the_database_ties_an_answer_to_its_sender(self):
        self.submit()
        # While the round is open: nothing is written among the responses; the pool holds
        # sealed rows of one length, none holding a readable answer.
        self.assertFalse(Response.objects.filter(round=self.round).exists())
        sealed = [bytes(row) for row in SealedResponse.objects.values_list("sealed", flat=True)]
        self.assertEqual(len(sealed), FORMS)
        self.assertEqual(len({len(row) for row in sealed}), 1)
        for row in sealed:  # (markers long enough never to turn up in random bytes by chance)
            self.assertNotIn("Ý kiến".encode(), row)
            self.assertNotIn(b'"values"', row)
        self.assertEqual(Invitation.objects.filter(round=self.round, answered=True).count(), FORMS)

        self.close()
        self.assertFalse(SealedResponse.objects.exists())
        responses = Response.objects.filter(round=self.round)
        self.assertEqual(responses.count(), FORMS)

        # Times and links: none stored.
        self.assertFalse(responses.filter(models.Q(invitation__isnull=False) | models.Q(submitted_at__isnull=False)))
        for model in (Response, Answer):
            times = [
                f.name for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField | models.DateField)
            ]
            self.assertEqual(times, ["submitted_at"] if model is Response else [], model)

        # Keys: random (UUID version 4), so their order says nothing either.
        for model in (Response, Answer):
            self.assertTrue(all(uuid.UUID(str(pk)).version == 4 for pk in model.objects.values_list("pk", flat=True)))
        by_key = [int(n) - MARK for n in Answer.objects.filter(question=self.number).order_by("response_id")
                  .values_list("number", flat=True)]  # fmt: skip
        self.assert_no_better_than_chance(by_key, "order of the response keys")

        # Physical order of the rows against the order of submission.
        for column in self.physical_columns():
            for table in ("surveys_response", "surveys_answer"):
                self.assert_no_better_than_chance(self.submitter_order(table, column), f"{table}.{column}")

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The transaction id: no response nor answer shares one with an invitation.
                cursor.execute(
                    "SELECT count(*) FROM surveys_response r JOIN surveys_invitation i ON r.xmin = i.xmin "
                    "WHERE r.round_id = %s",
                    [self.round.pk],
                )
                self.assertEqual(cursor.fetchone()[0], 0)
                cursor.execute(
                    "SELECT count(*) FROM surveys_answer a JOIN surveys_invitation i ON a.xmin = i.xmin "
                    "WHERE a.question_id = %s",
                    [self.number.pk],
                )
                self.assertEqual(cursor.fetchone()[0], 0)
                # All the round's responses came in one transaction of their own.
                cursor.execute("SELECT count(DISTINCT xmin::text) FROM surveys_response WHERE round_id = %s",
                               [self.round.pk])  # fmt: skip
                self.assertEqual(cursor.fetchone()[0], 1)

    def test_a_batch_written_while_the_round_is_open_mixes_at_least_the_threshold(self):
        threshold = self.round.threshold
        self.submit(0, 2 * threshold - 1)
        self.assertEqual(pool.pool_flush(self.round, today=OPENS), 0)  # too few to write any
        self.submit(2 * threshold - 1, 2 * threshold + 2)
        self.assertEqual(SealedResponse.objects.count(), 2 * threshold + 2)
        written = pool.pool_flush(self.round, today=OPENS)
        # All but the threshold's number, chosen at random, so that later answers mix with some.
        self.assertEqual((written, SealedResponse.objects.count()), (threshold + 2, threshold))
        self.assertEqual(pool.pool_flush(self.round, today=OPENS), 0)
        self.close()
        self.assertEqual((Response.objects.count(), SealedResponse.objects.count()), (2 * threshold + 2, 0))
        # Results of the anonymous round came out only now, counting every form.
        self.assertEqual(
            sorted(int(n) - MARK for n in Answer.objects.filter(question=self.number).values_list("number", flat=True)),
            list(range(2 * threshold + 2)),
        )

    def test_a_sealed_form_opens_only_with_the_site_key_and_in_its_round(self):
        self.submit(0, 1)
        entry = SealedResponse.objects.get()
        other = SurveyRound(pk=self.round.pk + 1000, version=self.version, closes_on=CLOSES)
        with self.assertRaises(pool.InvalidTag):
            pool.unseal(other, self.questions, entry.sealed)
        with self.settings(SECRET_KEY="another-key-" + "x" * 50, SECRET_KEY_FALLBACKS=[]):
            with self.assertRaises(pool.InvalidTag):
                pool.unseal(self.round, self.questions, entry.sealed)
        # A rotated key kept among the fallbacks still opens what was sealed before.
        from django.conf import settings

        with self.settings(SECRET_KEY="another-key-" + "x" * 50, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
            form = pool.unseal(self.round, self.questions, entry.sealed)
        self.assertEqual(form.values[self.number.pk], MARK)
