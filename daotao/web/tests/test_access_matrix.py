"""Every address of DaoTao, requested as every persona, answers as ``access_matrix.py`` says,
and no answer carries a national ID the persona may not see.

The addresses come from the URL resolver and the API's OpenAPI schema, so a new page or
API operation fails ``test_every_address_is_in_the_matrix`` until it has its row. The
world is the demo (``load_demo``) seen from one finished class, TCX02-2025-01: its student
``hocvien.demo``, its lecturer ``giangvien.hang``, a coordinator of the class's locality,
and personas outside them (another locality's coordinator, a lecturer of another class,
another student of the same class).

``DAOTAO_MATRIX_PRINT=1`` prints the answers seen, in the matrix's own format, for review.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import zipfile
from io import StringIO
from urllib.parse import urlencode

from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from daotao.accounts import roles
from daotao.accounts.models import ApiToken, User
from daotao.admissions.models import Application, ApplicationDocument
from daotao.api.api import api
from daotao.audit.models import AuditEntry
from daotao.cohorts.models import Cohort
from daotao.demo import teaching_data as td
from daotao.essays.models import Essay, LocalIssue
from daotao.grading.models import Credential, Grade, GraduationEntry
from daotao.org.models import Lecturer, Unit
from daotao.people.models import Student
from daotao.portal.models import Article, Category
from daotao.programs.models import Module
from daotao.surveys.models import CareerEvent, Invitation, SurveyRound
from daotao.teaching.models import FieldTrip, Lesson, TeachingAssignment
from daotao.testing import make_user
from daotao.web.tests import access_matrix as matrix

MEDIA = tempfile.mkdtemp(prefix="daotao-matrix-")
NATIONAL_ID = re.compile(rb"(?<!\d)\d{12}(?!\d)")


def _patterns(resolver=None, prefix="", namespace=""):
    """(route, full name, pattern) of every URL pattern, included ones too."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}" if pattern.name else None, pattern


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _text_of(response) -> bytes:
    """What a person could read in the answer: the page, the JSON, or an xlsx's cells."""
    body = _body(response)
    if body[:2] == b"PK":  # xlsx (a zip of XML)
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                return b"\n".join(archive.read(name) for name in archive.namelist() if name.endswith(".xml"))
        except zipfile.BadZipFile:
            return body
    return body


def _outcome(response) -> str:
    """The answer in the matrix's words: a status code, or where a redirect leads."""
    if response.status_code in (301, 302, 303):
        location = response.headers["Location"]
        if location.startswith("/accounts/login/"):
            return "login"
        if location.startswith("/admin/login/"):
            return "admin-login"
        return "302"
    return str(response.status_code)


@override_settings(MEDIA_ROOT=MEDIA)
class AccessMatrixTests(TestCase):
    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())
        cls.cohort = Cohort.objects.get(code=td.TC_CODE)
        cls.student_user = User.objects.get(username=td.STUDENT_USERNAME)
        cls.student = cls.student_user.student
        cls.lecturer_user = User.objects.get(username=td.LECTURER_USERNAME)
        cls.lecturer = cls.lecturer_user.lecturer
        locality = cls.student.locality
        other_cohort = Cohort.objects.get(code=td.CV_CODE)
        # A lecturer who teaches another class only.
        other_lecturer = Lecturer.objects.create(
            full_name="Giảng viên Lớp Khác",
            faculty=cls.lecturer.faculty,
            user=make_user("matrix.gv2", roles.LECTURER),
        )
        assignment = other_cohort.assignments.first()
        TeachingAssignment.objects.create(cohort=other_cohort, module=assignment.module, lecturer=other_lecturer)
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
            "coordinator": make_user("matrix.dp", roles.LOCALITY_COORDINATOR, locality),
            "other_coordinator": User.objects.get(username="diaphuong.x01"),
            "agency": User.objects.get(username="coquan.snv"),
            "student": cls.student_user,
            "other_student": classmate.user,
            "editor": User.objects.get(username="bientap"),
            "nobody": make_user("matrix.nobody"),
        }
        assert list(cls.users) == list(matrix.PERSONAS)
        cls.tokens = {
            persona: ApiToken.issue(user, "matrix")[1] for persona, user in cls.users.items() if user is not None
        }
        cls.kwargs = cls._url_arguments(locality)

    @classmethod
    def _url_arguments(cls, locality) -> dict[str, str | int]:
        """One record of the class's world for each kind of URL argument."""
        cohort, student, lecturer = cls.cohort, cls.student, cls.lecturer
        lesson = Lesson.objects.filter(cohort=cohort, lecturer=lecturer).first()
        module = Module.objects.get(pk=lesson.module_id)
        application = Application.objects.filter(locality__path__startswith=locality.path).first()
        # Uploaded files: a scan in the application's dossier and the student's essay.
        document = ApplicationDocument.objects.filter(application=application).first()
        document.file.save("giay-to.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
        essay = Essay.objects.get(enrollment__student=student, enrollment__cohort=cohort)
        essay.file.save("tieu-luan.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
        survey_round = SurveyRound.objects.filter(cohort=cohort, phase="end").first()
        invitation = Invitation.objects.filter(round__cohort=cohort, response__isnull=True).first()
        return {
            "code": cohort.code,
            "cohort_id": cohort.pk,
            "module_id": module.pk,
            "lesson_id": lesson.pk,
            "pk": application.pk,
            "document_pk": document.pk,
            "job": "0" * 32,
            "year": 2026,
            "fmt": "xlsx",
            "grade_id": Grade.objects.filter(enrollment__student=student, assessment__module=module).first().pk,
            "entry_id": GraduationEntry.objects.get(enrollment__student=student, enrollment__cohort=cohort).pk,
            "credential_id": Credential.objects.filter(enrollment__student=student).first().pk,
            "essay_id": essay.pk,
            "issue_id": LocalIssue.objects.filter(locality__path__startswith=locality.path).first().pk,
            "trip_id": FieldTrip.objects.filter(cohort=cohort).first().pk,
            "record_id": 0,
            "token": invitation.token if invitation else "0-0",
            "round_id": survey_round.pk,
            "student_id": student.pk,
            "event_id": CareerEvent.objects.create(
                student=student, kind="appointed", date=cohort.closing_date, decision_number="01/QĐ-MATRIX"
            ).pk,
            "unit_id": Unit.objects.get(pk=locality.pk).pk,
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
        }

    # -- helpers ---------------------------------------------------------------------------

    def _client(self, persona: str) -> Client:
        client = Client()
        user = self.users[persona]
        if user is not None:
            client.force_login(user)
        return client

    def _forbidden_ids(self, persona: str) -> set[bytes]:
        """National IDs of students and applicants the persona may not see."""
        user = self.users[persona]
        everyone = set(Student.objects.values_list("national_id", flat=True)) | set(
            Application.objects.values_list("national_id", flat=True)
        )
        if user is None:
            return {n.encode() for n in everyone}
        seen = set(Student.objects.visible_to(user).values_list("national_id", flat=True)) | set(
            Application.objects.visible_to(user).values_list("national_id", flat=True)
        )
        return {n.encode() for n in everyone - seen}

    def _assert_in_scope(self, persona, address, response, forbidden):
        if response.status_code != 200:
            return
        leaked = set(NATIONAL_ID.findall(_text_of(response))) & forbidden
        self.assertFalse(leaked, f"{persona} {address}: national IDs outside the scope: {sorted(leaked)[:5]}")

    def _check(self, seen, persona, name, address, response, forbidden, table):
        """Record the answer; unless printing, compare it with the table; check its scope."""
        outcome = _outcome(response)
        seen.setdefault(name, {})[persona] = outcome
        with self.subTest(persona=persona, address=name, url=address):
            if not os.environ.get("DAOTAO_MATRIX_PRINT"):
                expected = (
                    matrix.expected_admin(name, persona) if table is None else matrix.expected(table, name, persona)
                )
                self.assertEqual(outcome, expected)
            self._assert_in_scope(persona, address, response, forbidden)

    def _page_address(self, route: str, name: str) -> str:
        arguments = re.findall(r"<(?:\w+:)?(\w+)>", route)
        kwargs = {}
        for argument in arguments:
            key = {"slug": "article_slug"}.get(argument, argument) if "category_slug" in arguments else argument
            if name == "portal:preview":
                key = "preview_pk"
            kwargs[argument] = self.kwargs[key]
        return reverse(name, kwargs=kwargs)

    # -- the tests -------------------------------------------------------------------------

    def test_every_address_is_in_the_matrix(self):
        pages = {name for _route, name, _pattern in self._pages()}
        self.assertEqual(pages ^ set(matrix.PAGES), set(), "pages missing from the matrix, or no longer there")
        operations = {operation for operation, _query in self._operations()}
        self.assertEqual(operations ^ set(matrix.API), set(), "API operations missing from the matrix, or gone")

    def _pages(self):
        for route, name, pattern in _patterns():
            if route.startswith(("admin/", "api/v1/", "^media")):
                continue
            yield route, name, pattern

    def _operations(self):
        """``METHOD /path`` of every API operation, with its required query parameters."""
        schema = api.get_openapi_schema()
        for path, methods in schema["paths"].items():
            for method, operation in methods.items():
                query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query" and p["required"]]
                yield f"{method.upper()} {path}", query

    def test_pages(self):
        seen = {}
        for persona in matrix.PERSONAS:
            client = self._client(persona)
            forbidden = self._forbidden_ids(persona)
            for route, name, _pattern in self._pages():
                address = self._page_address(route, name)
                response = client.get(address)
                self._check(seen, persona, name, address, response, forbidden, matrix.PAGES)
        if os.environ.get("DAOTAO_MATRIX_PRINT"):
            _print_table(seen)

    def test_api(self):
        seen = {}
        for persona in matrix.PERSONAS:
            client = Client()
            headers = {"Authorization": f"Bearer {self.tokens[persona]}"} if persona in self.tokens else {}
            forbidden = self._forbidden_ids(persona)
            for operation, query in self._operations():
                method, path = operation.split(" ", 1)
                address = re.sub(r"\{(\w+)\}", lambda m: str(self.kwargs[m.group(1)]), path)
                if query:
                    address += "?" + urlencode({name: self.kwargs[name] for name in query})
                response = client.generic(method, address, headers=headers)
                self._check(seen, persona, operation, address, response, forbidden, matrix.API)
        if os.environ.get("DAOTAO_MATRIX_PRINT"):
            _print_table(seen)

    def test_denied_posts_change_nothing(self):
        """A persona turned away from a page is turned away the same when it posts to it
        (or told the method is not allowed), and no record anywhere changes."""
        before = _row_counts()
        audit = AuditEntry.objects.count()
        seen = {}
        for persona in matrix.PERSONAS:
            client = self._client(persona)
            for route, name, _pattern in self._pages():
                address = self._page_address(route, name)
                if name in matrix.POSTS:
                    expected = matrix.expected(matrix.POSTS, name, persona)
                else:
                    expected = matrix.expected(matrix.PAGES, name, persona)
                printing = os.environ.get("DAOTAO_MATRIX_PRINT") and name in matrix.POSTS
                if expected not in matrix.DENIALS and not printing:
                    continue
                if printing:
                    client = self._client(persona)
                response = client.post(address, {"value": "1", "status": "approved"})
                outcome = _outcome(response)
                seen.setdefault(name, {})[persona] = outcome
                if printing:
                    continue
                with self.subTest(persona=persona, page=name, address=address):
                    self.assertIn(outcome, {expected, "405"})
        if os.environ.get("DAOTAO_MATRIX_PRINT"):
            _print_table(seen)
            return
        self.assertEqual(_row_counts(), before)
        self.assertEqual(AuditEntry.objects.count(), audit)

    def test_every_post_only_page_has_its_post_row(self):
        for _route, name, _pattern in self._pages():
            get_answers = matrix.PAGES[name].split()
            with self.subTest(page=name):
                self.assertEqual("405" in get_answers, name in matrix.POSTS)

    def _admin_address(self, route: str, name: str) -> str:
        arguments = re.findall(r"<(?:\w+:)?(\w+)>", route)
        kwargs = {}
        model = self._admin_model(name)
        for argument in arguments:
            if argument == "object_id":
                instance = model._default_manager.order_by("pk").first() if model else None
                kwargs[argument] = str(instance.pk) if instance else "0"
            elif argument == "app_label":
                kwargs[argument] = name.removeprefix("admin:").removesuffix("_app_list") or "cohorts"
            elif argument == "id":
                instance = model._default_manager.order_by("pk").first() if model else None
                kwargs[argument] = str(instance.pk) if instance else "0"
            else:
                kwargs[argument] = "1"
        return reverse(name, kwargs=kwargs)

    @staticmethod
    def _admin_model(name: str):
        if name.startswith("admin:auth_user_"):  # Django's UserAdmin names its own addresses
            return User
        for model in admin.site._registry:
            prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
            if name.startswith(prefix):
                return model
        return None

    def _admin_pages(self):
        for route, name, pattern in _patterns():
            if route.startswith("admin/"):
                yield route, name if name else None, pattern

    def test_admin(self):
        seen = {}
        for persona in matrix.PERSONAS:
            client = self._client(persona)
            forbidden = self._forbidden_ids(persona)
            for route, name, _pattern in self._admin_pages():
                if name is None:  # the admin's catch-all: an address it does not know
                    name, address = "admin:<unknown>", "/admin/unknown/"
                elif name == "admin:app_list":
                    address = reverse(name, kwargs={"app_label": "cohorts"})
                elif name == "admin:view_on_site":
                    continue  # a redirect to the record's own page, checked there
                else:
                    address = self._admin_address(route, name)
                response = client.get(address)
                self._check(seen, persona, name, address, response, forbidden, table=None)
        if os.environ.get("DAOTAO_MATRIX_PRINT"):
            _print_table(seen)


def _row_counts() -> dict[str, int]:
    """Rows of every model but the sessions and sign-in records that signing the personas in
    creates."""
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label not in ("sessions.Session", "axes.AccessLog")
    }


def _print_table(seen):
    with open(os.environ["DAOTAO_MATRIX_PRINT"], "a") as out:
        _write_table(out, seen)


def _write_table(out, seen):
    width = max(len(name) for name in seen) + 2
    out.write("\n" + "".ljust(width) + " ".join(p[:6].ljust(6) for p in matrix.PERSONAS) + "\n")
    for name, answers in seen.items():
        out.write(name.ljust(width) + " ".join(answers.get(p, "-").ljust(6) for p in matrix.PERSONAS) + "\n")
