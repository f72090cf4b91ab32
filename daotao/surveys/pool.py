"""The pool that keeps anonymous answers apart from the people who gave them.

Submitting a form of an anonymous round marks the invitation answered and puts the form in
the pool (``SealedResponse``), in one transaction: the database can tie those two writes
together (on PostgreSQL they share the system column ``xmin``; on SQLite the pool's
``rowid`` follows the order of submissions, which the web server's access log also has).
So what waits in the pool is sealed with AES-GCM under a key derived from the site's
``SECRET_KEY`` (which the database does not hold) and padded to one length for every form
of the round, so that neither its content nor its size can be read there. It holds no
time: AES-GCM, unlike Fernet, puts no timestamp in the sealed bytes.

Forms leave the pool in batches (``pool_flush``), each in a transaction of its own, as
``Response`` rows with random keys, inserted in random order, with no invitation and no
time; the sealed rows are deleted in the same transaction. A batch is never smaller than
the round's threshold:
- while the round is open, a batch is written only once the pool holds at least twice the
  threshold, and it takes a random choice of all but the threshold's number of forms, so
  that at least a threshold's worth stays to mix with later answers;
- once the round has closed, the rest is written in one batch.
What the database can infer afterwards is the batch a response came in, and each batch
mixes at least a threshold's worth of forms submitted before it was written.

``flush_due`` is the periodic step (run by ``send_survey_invitations``, daily); the results
of a closed round flush what is left before they are counted.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
from dataclasses import dataclass
from decimal import Decimal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from daotao.surveys.models import (
    ANSWER_TEXT_MAX,
    Answer,
    Question,
    QuestionKind,
    Response,
    SealedResponse,
    SurveyRound,
)

logger = logging.getLogger(__name__)

NONCE_BYTES = 12
# Not ``random.Random``: the order of a batch must not be predictable from anything stored.
_random = secrets.SystemRandom()


@dataclass(frozen=True)
class SealedForm:
    """What a sealed row holds: the values as ``services.response_submit`` takes them, and
    the form's validity as decided when it was submitted."""

    values: dict
    valid: bool
    blank: int
    items: int


# --- sealing ----------------------------------------------------------------------


def _keys() -> list[bytes]:
    """The sealing keys: from ``SECRET_KEY`` first, then from each of its fallbacks, so that
    forms sealed before a key rotation can still be opened."""
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [salted_hmac("daotao.surveys.pool", "seal", secret=key, algorithm="sha256").digest() for key in secrets_]


def _associated(survey_round: SurveyRound) -> bytes:
    # A sealed form opens only as a form of its own round.
    return f"daotao.surveys.round:{survey_round.pk}".encode()


def capacity(questions) -> int:
    """The padded length of every sealed form of a version: more than the longest form it
    can hold (each text at its longest, every character at its longest in JSON: six bytes
    for an escaped control character, four for a character outside the BMP)."""
    size = 128
    for question in questions:
        size += 32  # the key, quotes and separators
        if question.kind == QuestionKind.TEXT:
            size += 6 * ANSWER_TEXT_MAX
        elif question.kind == QuestionKind.MULTIPLE:
            size += 8 * max(1, len(question.choices))
        else:
            size += 24
    return size


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def seal(survey_round: SurveyRound, questions, form: SealedForm) -> bytes:
    payload = json.dumps(
        {
            "values": {str(pk): _plain(value) for pk, value in form.values.items()},
            "valid": form.valid,
            "blank": form.blank,
            "items": form.items,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    size = capacity(questions)
    if len(payload) > size:  # cannot happen for a form the service accepted
        raise ValueError("form larger than its padding")
    padded = payload + b" " * (size - len(payload))  # JSON ignores trailing spaces
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(_keys()[0]).encrypt(nonce, padded, _associated(survey_round))


def _value(question: Question, raw):
    if question.kind in (QuestionKind.RATING, QuestionKind.NUMBER):
        return Decimal(raw)
    if question.kind == QuestionKind.MULTIPLE:
        return [int(item) for item in raw]
    if question.kind == QuestionKind.SINGLE:
        return int(raw)
    return str(raw)


def unseal(survey_round: SurveyRound, questions, sealed: bytes) -> SealedForm:
    """The form sealed in ``sealed``; ``InvalidTag`` if no key opens it for this round."""
    sealed = bytes(sealed)
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    for key in _keys():
        try:
            padded = AESGCM(key).decrypt(nonce, body, _associated(survey_round))
        except InvalidTag:
            continue
        payload = json.loads(padded)
        by_id = {question.pk: question for question in questions}
        values = {int(pk): _value(by_id[int(pk)], raw) for pk, raw in payload["values"].items()}
        return SealedForm(values=values, valid=payload["valid"], blank=payload["blank"], items=payload["items"])
    raise InvalidTag


# --- the pool ---------------------------------------------------------------------


def pool_add(*, survey_round: SurveyRound, questions, form: SealedForm) -> None:
    """Put a submitted form in the pool (inside the transaction that marks its invitation
    answered)."""
    SealedResponse.objects.create(round=survey_round, sealed=seal(survey_round, questions, form))


def _questions(survey_round: SurveyRound) -> list[Question]:
    return list(Question.objects.filter(version_id=survey_round.version_id))


def _choose(entries: list, threshold: int, closed: bool) -> list:
    """The pooled forms to write now (see the module's docstring)."""
    if closed:
        return entries
    if len(entries) >= 2 * threshold:
        return _random.sample(entries, len(entries) - threshold)
    return []


def pool_flush(survey_round: SurveyRound, *, today: dt.date | None = None) -> int:
    """Write the forms of the round's pool that are due (see the module's docstring), in
    random order, in a transaction of its own; returns how many were written. Two flushes
    at once write each form once: the second waits for the first's lock and finds its rows
    gone."""
    closed = survey_round.is_closed(today)
    with transaction.atomic():
        entries = list(SealedResponse.objects.select_for_update().filter(round=survey_round).order_by("pk"))
        chosen = _choose(entries, survey_round.threshold, closed)
        if not chosen:
            return 0
        questions = _questions(survey_round)
        by_id = {question.pk: question for question in questions}
        forms, written = [], []
        for entry in chosen:
            try:
                forms.append(unseal(survey_round, questions, entry.sealed))
            except InvalidTag:
                # A key that no longer opens it (SECRET_KEY changed without keeping the old
                # one in SECRET_KEY_FALLBACKS): keep it, so that putting the key back helps.
                logger.error("a pooled form of survey round %s cannot be unsealed", survey_round.pk)
                continue
            written.append(entry.pk)
        _random.shuffle(forms)
        responses = [
            Response(round=survey_round, valid=form.valid, blank_items=form.blank, items=form.items) for form in forms
        ]
        Response.objects.bulk_create(responses)
        Answer.objects.bulk_create(
            [
                Answer.of(response, by_id[pk], value)
                for response, form in zip(responses, forms, strict=True)
                for pk, value in form.values.items()
            ]
        )
        SealedResponse.objects.filter(pk__in=written).delete()
    return len(written)


def flush_closed(rounds, *, today: dt.date | None = None) -> int:
    """Before a closed round's results are counted: write what is left in its pool. One
    query when nothing is left."""
    today = today or timezone.localdate()
    ids = rounds.values("pk") if hasattr(rounds, "values") else [r.pk for r in rounds]
    waiting = SurveyRound.objects.filter(pk__in=ids, closes_on__lt=today, pooled__isnull=False).distinct()
    return sum(pool_flush(survey_round, today=today) for survey_round in waiting)


@dataclass
class FlushReport:
    rounds: int = 0
    written: int = 0
    waiting: int = 0


def flush_due(*, today: dt.date | None = None) -> FlushReport:
    """The periodic step: every round's pool, written where due (closed rounds whole)."""
    today = today or timezone.localdate()
    report = FlushReport()
    for survey_round in SurveyRound.objects.filter(pooled__isnull=False).distinct().order_by("pk"):
        written = pool_flush(survey_round, today=today)
        report.rounds += 1 if written else 0
        report.written += written
    report.waiting = SealedResponse.objects.count()
    return report
