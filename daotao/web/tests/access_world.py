"""The world the access matrix is requested in: the demo (``load_demo``) seen from one
finished class, TCX02-2025-01, with the 13 personas of ``access_matrix.PERSONAS``, the
records its addresses and posts name, and text planted where people type:

- formula-like text (``test_no_formulas.planted``) in a classmate's position and workplace,
  the class's name and every free-text answer of the anonymous survey rounds, so that a
  workbook that let one through as a formula would be caught;
- each anonymous answer carries its own tag (``ANDANH-<id>-``), so that a page showing it
  can be found, and checked for the names of those invited to answer that round;
- a school registered at the Academy with its 2026 package (the national dashboard's pages,
  asked with ``DAOTAO_ROLE=academy``), its name and province planted as formulas too.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile

from daotao.academy import synthetic
from daotao.academy.importing import package_import
from daotao.academy.models import RegisteredSchool
from daotao.accounts import roles
from daotao.accounts.models import ApiToken, User
from daotao.accounts.scope import SYSTEM
from daotao.admissions.models import Application, ApplicationDocument, Decision, EligibilityRule, ProgramDocument
from daotao.audit.imports import ImportKind, imported
from daotao.audit.models import ImportRecord
from daotao.cohorts.access import recordable_students
from daotao.cohorts.models import Cohort
from daotao.demo import teaching_data as td
from daotao.essays.models import Essay, LocalIssue
from daotao.exams.models import ExamSession
from daotao.finance.models import Payment
from daotao.grading.models import Classification, Credential, Grade, GraduationDecision, GraduationEntry
from daotao.lib import signing
from daotao.onboarding import setup
from daotao.org.models import Lecturer, Unit, UnitKind
from daotao.people.models import Student
from daotao.portal.models import Article, Category
from daotao.programs.models import Assessment, Module
from daotao.surveys.models import Answer, CareerEvent, Invitation, Question, SurveyRound
from daotao.surveys.services import questions_of
from daotao.teaching.feeds import feed_issue
from daotao.teaching.models import FieldTrip, Lesson, TeachingAssignment
from daotao.testing import PASSWORD, DemoTestCase, make_user
from daotao.web.tests import access_matrix as matrix
from daotao.web.tests.test_no_formulas import planted

PORTAL_IMAGE = "portal/images/2026/01/ma-tran.png"


class MatrixWorld(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cohort = Cohort.objects.get(code=td.TC_CODE)
        cls.student_user = User.objects.get(username=td.STUDENT_USERNAME)
        cls.student = cls.student_user.student
        cls.lecturer_user = User.objects.get(username=td.LECTURER_USERNAME)
        cls.lecturer = cls.lecturer_user.lecturer
        cls.locality = cls.student.locality
        # The school's own logo, served to everyone.
        logo = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><circle cx="4" cy="4" r="4"/></svg>'
        cls.logo_digest = setup.identity_save(user=SYSTEM, values={}, logo=logo).logo_digest
        cls.other_cohort = Cohort.objects.get(code=td.CV_CODE)
        # A lecturer who teaches another class only.
        other_lecturer = Lecturer.objects.create(
            full_name="Giảng viên Lớp Khác",
            faculty=cls.lecturer.faculty,
            user=make_user("matrix.gv2", roles.LECTURER),
        )
        assignment = cls.other_cohort.assignments.first()
        TeachingAssignment.objects.create(cohort=cls.other_cohort, module=assignment.module, lecturer=other_lecturer)
        cls.other_lecturer = other_lecturer
        # Another student of the same class.
        classmate = Student.objects.filter(enrollments__cohort=cls.cohort).exclude(pk=cls.student.pk).first()
        classmate.user = make_user("matrix.hv2", roles.STUDENT)
        classmate.save(update_fields=["user"])
        cls.users = {
            "anonymous": None,
            "superuser": User.objects.get(username="admin"),
            "office": User.objects.get(username="daotao"),
            "board": User.objects.get(username="bgh"),
            "lecturer": cls.lecturer_user,
            "other_lecturer": other_lecturer.user,
            "coordinator": make_user("matrix.dp", roles.LOCALITY_COORDINATOR, cls.locality),
            "other_coordinator": User.objects.get(username="diaphuong.x01"),
            "agency": User.objects.get(username="coquan.snv"),
            "student": cls.student_user,
            "other_student": classmate.user,
            "editor": User.objects.get(username="bientap"),
            "nobody": make_user("matrix.nobody"),
        }
        assert list(cls.users) == list(matrix.PERSONAS)
        for user in cls.users.values():
            if user is not None:  # the sign-in row posts each persona's own password
                user.set_password(PASSWORD)
                user.save(update_fields=["password"])
        cls.tokens = {
            persona: ApiToken.issue(user, "matrix")[1] for persona, user in cls.users.items() if user is not None
        }
        cls._records(classmate)
        cls._plant(classmate)
        cls.kwargs = cls._url_arguments()

    @classmethod
    def _records(cls, classmate):
        """The records the posts address, each named for what it is to the class."""
        cohort, student, lecturer = cls.cohort, cls.student, cls.lecturer
        cls.lesson = Lesson.objects.filter(cohort=cohort, lecturer=lecturer).first()
        cls.module = Module.objects.get(pk=cls.lesson.module_id)
        hers = cohort.assignments.filter(lecturer=lecturer).values("module")
        cls.colleague_lesson = Lesson.objects.filter(cohort=cohort).exclude(module__in=hers).first()
        cls.enrollment = student.enrollments.get(cohort=cohort)
        cls.classmate_enrollment = classmate.enrollments.get(cohort=cohort)
        cls.grade = Grade.objects.filter(enrollment=cls.enrollment, assessment__module=cls.module).first()
        cls.assessment = cls.grade.assessment
        cls.application = Application.objects.filter(
            locality__path__startswith=cls.locality.path, decision=Decision.PENDING
        ).first()
        received = cls.application.documents.filter(received=True).values("document_type")
        cls.missing_document = (
            ProgramDocument.objects.filter(program=cls.application.program_id)
            .exclude(document_type__in=received)
            .values_list("document_type_id", flat=True)
            .first()
        )
        cls.rule = EligibilityRule.objects.filter(program=cls.application.program_id, is_active=True).first()
        cls.foreign_rule = EligibilityRule.objects.exclude(program=cls.application.program_id).first()
        admitted = Application.objects.filter(decision=Decision.ADMITTED, enrollment__isnull=True, plan__year=2026)
        cls.admitted = admitted.filter(program=cls.application.program_id, locality=cls.locality).first()
        cls.foreign_admitted = admitted.exclude(program=cls.application.program_id).first()
        cls.foreign_application = Application.objects.filter(
            locality=cls.users["other_coordinator"].unit, plan__year=2026, program=cls.application.program_id
        ).first()
        cls.essay = Essay.objects.get(enrollment=cls.enrollment)
        cls.second_grader = cls.essay.second_grader
        cls.other_essay = Essay.objects.filter(enrollment__cohort=cohort).exclude(pk=cls.essay.pk).first()
        cls.issue = LocalIssue.objects.filter(locality__path__startswith=cls.locality.path).first()
        cls.trip = FieldTrip.objects.filter(cohort=cohort).first()
        cls.entry = GraduationEntry.objects.get(enrollment=cls.enrollment)
        cls.decision = cls.entry.decision
        cls.other_classification = next(c for c in Classification.values if c != cls.entry.classification)
        busy = {lecturer.pk, cls.other_lecturer.pk, cohort.homeroom_lecturer_id, cls.essay.supervisor_id}
        busy |= set(cohort.assignments.filter(module=cls.module).values_list("lecturer", flat=True))
        cls.third_lecturer = Lecturer.objects.filter(is_active=True).exclude(pk__in=busy).first()
        cls.other_agency = Unit.objects.filter(kind=UnitKind.AGENCY).exclude(pk=cls.users["agency"].unit_id).first()
        # A class still open, where the lecturer teaches module I.1 (her grades are hers to enter).
        cls.open_cohort = Cohort.objects.get(code="TCX01-2026-01")
        cls.open_module = Module.objects.get(assignments__cohort=cls.open_cohort, assignments__lecturer=lecturer)
        cls.open_enrollment = cls.open_cohort.enrollments.on_roll().first()
        cls.open_assessment = Assessment.objects.filter(module=cls.open_module).first()
        cls.open_coursework = Assessment.objects.filter(module=cls.open_module, is_exam=False).first()
        cls.unassigned_module = (
            Module.objects.filter(program=cls.open_cohort.program_id).exclude(pk=cls.open_module.pk).first()
        )
        cls.unassigned_assessment = Assessment.objects.filter(module=cls.unassigned_module).first()
        # Another class, of another program, that neither the lecturer nor the class shares.
        cls.foreign_enrollment = cls.other_cohort.enrollments.on_roll().first()
        cls.foreign_module = Module.objects.filter(program=cls.other_cohort.program_id).first()
        cls.foreign_assessment = Assessment.objects.filter(module__program=cls.other_cohort.program_id).first()
        cls.foreign_lesson = Lesson.objects.filter(cohort=cls.other_cohort).first() or Lesson.objects.create(
            cohort=cls.other_cohort,
            module=cls.foreign_module,
            lecturer=cls.other_lecturer,
            date=cls.other_cohort.opening_date,
            session="morning",
            periods=5,
        )
        cls.foreign_decision = GraduationDecision.objects.filter(cohort=cls.other_cohort).first()
        # Whose career events each recorder records in the posts.
        cls.recordable = {
            persona: recordable_students(cls.users[persona]).order_by("pk").first()
            for persona in ("superuser", "office", "coordinator", "other_coordinator", "agency")
        }
        cls.recordable["coordinator"] = student
        # A survey link not used yet (its round is kept open by the post's ``prepare``), and a
        # question of another questionnaire.
        cls.open_invitation = Invitation.objects.filter(round__anonymous=False, answered=False).order_by("pk").first()
        cls.open_questions = questions_of(cls.open_invitation.round)
        cls.foreign_question = Question.objects.exclude(pk__in=[q.pk for q in cls.open_questions]).first()

    @classmethod
    def _plant(cls, classmate):
        index = iter(range(1000))
        Student.objects.filter(pk=classmate.pk).update(
            position=planted("POSITION", next(index)), workplace=planted("WORKPLACE", next(index))
        )
        Cohort.objects.filter(pk=cls.cohort.pk).update(name=planted("COHORTNAME", next(index)))
        cls.anonymous_tags = []
        for answer in Answer.objects.filter(response__round__anonymous=True).exclude(text=""):
            tag = f"ANDANH-{answer.pk}-"
            answer.text = planted(tag, next(index))
            answer.save(update_fields=["text"])
            cls.anonymous_tags.append(tag)
        invited = Invitation.objects.filter(round__anonymous=True)
        cls.invitee_names = sorted(
            {name for name in invited.values_list("name", flat=True) if name}
            | set(Student.objects.filter(survey_invitations__in=invited).values_list("full_name", flat=True))
        )
        key = signing.new_private_key()
        school = RegisteredSchool.objects.create(
            code="MT",
            name=planted("SCHOOLNAME", next(index)),
            province=planted("PROVINCE", next(index)),
            public_key=signing.public_key_text(key),
        )
        classes = [synthetic.Klass("TC-LLCT-HC", "H01", 40), synthetic.Klass("BD-CV", "H02", 30, funding="self_funded")]
        quota = [synthetic.quota_year(2026, [("H01", "Thành phố Bình An", "TC-LLCT-HC", "supported", 50, 40)])]
        document = synthetic.package(
            key, name=school.name, province=school.province, **synthetic.year(2026), classes=classes, quota=quota
        )
        package_import(synthetic.file_bytes(document))
        image = Path(settings.MEDIA_ROOT) / PORTAL_IMAGE
        image.parent.mkdir(parents=True, exist_ok=True)
        image.write_bytes(b"\x89PNG\r\n\x1a\n matrix")

    @classmethod
    def _url_arguments(cls) -> dict[str, str | int]:
        """One record of the class's world for each kind of URL argument."""
        cohort, student = cls.cohort, cls.student
        # Uploaded files: a scan in the application's dossier and the student's essay.
        document = ApplicationDocument.objects.filter(application=cls.application).first()
        document.file.save("giay-to.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
        cls.essay.file.save("tieu-luan.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
        survey_round = SurveyRound.objects.filter(cohort=cohort, phase="end").first()
        invitation = Invitation.objects.filter(round__cohort=cohort, response__isnull=True).first()
        cls.files = {"dossier scan": document.file.name, "essay": cls.essay.file.name}
        return {
            "code": cohort.code,
            "cohort_id": cohort.pk,
            "module_id": cls.module.pk,
            "lesson_id": cls.lesson.pk,
            "pk": cls.application.pk,
            "document_pk": document.pk,
            "job": "0" * 32,
            "year": 2026,
            "chart": "quota",  # a table of the board's dashboard (and of the national dashboard)
            "period": "2026",  # a period of the national dashboard
            "fmt": "xlsx",
            "grade_id": cls.grade.pk,
            "entry_id": cls.entry.pk,
            "decision_id": cls.entry.decision_id,
            "credential_id": Credential.objects.filter(enrollment__student=student).first().pk,
            # The public check's code (its pages' and API's ``code``, unlike a class's code).
            "verification_code": Credential.objects.filter(enrollment__student=student).first().verification_code,
            "essay_id": cls.essay.pk,
            "issue_id": cls.issue.pk,
            "trip_id": cls.trip.pk,
            # The private address of the lecturer's calendar feed (the other lecturer and the
            # students have one too, to stop).
            "key": [feed_issue(cls.users[p]) for p in ("other_lecturer", "student", "other_student", "lecturer")][-1],
            "payment_id": Payment.objects.valid().order_by("pk").first().pk,
            "record_id": 0,
            "import_id": cls._import_record(),
            "token": invitation.token if invitation else "0-0",
            "uidb64": "MA",  # a password reset link's user: id 0, nobody (the link is not valid)
            "round_id": survey_round.pk,
            "student_id": student.pk,
            # The training record's API operation is by national ID (its pages by ``student_id``).
            "national_id": student.national_id,
            "event_id": CareerEvent.objects.create(
                student=student, kind="appointment", date=cohort.closing_date, decision_number="01/QĐ-MATRIX"
            ).pk,
            "unit_id": cls.locality.pk,
            "token_id": ApiToken.objects.filter(user__username="daotao").first().pk,
            "slug": Category.objects.first().slug,
            "category_slug": Article.objects.filter(status="published").first().category.slug,
            "article_slug": Article.objects.filter(status="published").first().slug,
            "preview_pk": Article.objects.first().pk,
            "rest": "unknown",
            # Required query parameters of API operations.
            "from": "2026-01-01",
            "to": "2026-12-31",
            "relation": "active",
            "digest": cls.logo_digest,
            "exam_id": ExamSession.objects.get(cohort=cohort).pk,
        }

    @classmethod
    def _import_record(cls) -> int:
        """An import the office made (a class workbook, checked only): its record and file."""
        from daotao.cohorts.tests.workbooks import cohort_row, workbook

        content = workbook([cohort_row("MA-TRAN-KEPT", **{"Mã địa phương": cls.locality.code})], [])
        with imported(ImportKind.COHORTS, cls.users["office"], content, name="lop.xlsx", dry_run=True) as audit:
            audit.done(created=1)
        return ImportRecord.objects.order_by("-pk").values_list("pk", flat=True)[0]

    def remember(self, record) -> int:
        """Keep the record a post is about to remove (its effect checks that it went)."""
        self.prepared = record
        return record.pk
