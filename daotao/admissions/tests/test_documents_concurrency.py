"""Two saves of an application's document checklist at once (real threads, each with its
own database connection, on SQLite and PostgreSQL): each document once, no database error.
The application's row is locked first: a document not yet received has no row."""

import datetime as dt

from django.test import TransactionTestCase

from daotao.admissions import presets, services
from daotao.admissions.models import ApplicationDocument, DocumentType
from daotao.admissions.tests.world import YEAR, make_application
from daotao.planning.models import AnnualPlan
from daotao.testing import build_world, overlapping, run_at_once


class ConcurrentChecklistTests(TransactionTestCase):
    def setUp(self):
        build_world(self)
        AnnualPlan.objects.create(year=YEAR, status="approved")
        presets.install()

    def test_two_saves_at_once_record_each_document_once(self):
        application = make_application(self.programs["TC-LLCT-HC"], self.h01, received=[])
        document_type = DocumentType.objects.order_by("pk").first()

        def save(day):
            services.set_documents(application, {document_type.pk: dt.date(2026, 3, day)})

        with overlapping(ApplicationDocument, "save"):
            _results, errors = run_at_once(save, [2, 3])
        self.assertEqual(errors, [])
        self.assertEqual(ApplicationDocument.objects.filter(application=application).count(), 1)
