from daotao.admissions.models import Status
from daotao.admissions.tests.world import AdmissionsTestCase, make_application


class SmokeTests(AdmissionsTestCase):
    def test_default_application_is_eligible(self):
        application = make_application(self.tc, self.h01)
        self.assertEqual(application.status, Status.ELIGIBLE, application.checks)
        self.assertEqual(len(application.checks), 5)

    def test_missing_document_makes_it_incomplete(self):
        application = make_application(self.tc, self.h01, received=["QD-CU"])
        self.assertEqual(application.status, Status.INCOMPLETE)
        self.assertIn("SYLL", application.missing_documents)
