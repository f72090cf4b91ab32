"""Every address of DaoTao, requested as every persona, answers as ``access_matrix.py`` says;
every form it takes does what it should for those allowed and nothing for anyone else; and
no answer shows what the persona may not see.

What is requested (the world: ``access_world.py``, the demo seen from one finished class):
- every URL pattern of the resolver, with DEBUG on and off: the pages, the admin, every API
  operation of the OpenAPI schema, the API's own addresses (its root, the schema, an unknown
  address) and the uploads' storage addresses under ``media/``. A pattern that no row
  reaches fails ``test_every_address_is_in_the_matrix``;
- every address that takes a form, posted as every persona (``POSTS``). An ``ok`` cell is a
  real post: the body the page's own form sends (``access_posts.py``), in a savepoint rolled
  back afterwards; it must answer as a post that worked (a redirect, the page, the HTMX
  cell), write only the tables it is about, audit the record addressed where the app audits,
  and change that record as asked. A persona turned away sends the same body and is turned
  away, changing nothing. A page without a ``POSTS`` row must not read a posted body at all;
- ID swaps (``access_swaps.py``): each persona allowed to post somewhere sends the body with
  one id pointing at a record outside their scope (another locality's candidate or student,
  another class's grade, enrollment or lesson...); refused, and no row anywhere changes.

What every answer (pages, JSON, xlsx, the HTML of each PDF) is searched for:
- a national ID of a student or applicant outside the persona's scope;
- in a workbook, a formula (other than the yearly report's own totals), an error cell, or
  text stored as a formula's result rather than as a string; formula-like text is planted
  where people type so that this can bite;
- the free-text answer of an anonymous survey round on the same answer as a name of someone
  invited to that round; and who answered an anonymous round (the admin's invitation list).

``DAOTAO_MATRIX_PRINT=<file>`` writes the answers seen, in the matrix's format, for review.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import ERROR, get_messages
from django.test import Client, override_settings
from django.urls import get_resolver, resolve, reverse

from daotao.accounts.models import User
from daotao.admissions.models import Application
from daotao.api.api import api
from daotao.audit.models import AuditEntry, ImportOutcome, ImportRecord
from daotao.people.models import Student
from daotao.portal.models import Article
from daotao.surveys.models import SurveyRound
from daotao.web.tests import access_matrix as matrix
from daotao.web.tests import access_posts as posts
from daotao.web.tests import access_world as world
from daotao.web.tests.access_leaks import PER_INVITEE, PdfSources, Readable, formula_problems
from daotao.web.tests.access_probes import (
    BodyReads,
    Writes,
    form_errors,
    patterns,
    rolled_back,
    row_counts,
    urls_under,
    why,
)
from daotao.web.tests.access_swaps import FORM, JOB, MESSAGE, SWAPS

JUNK = {"value": "1", "status": "approved"}  # a body no form of DaoTao takes as it is
# URL arguments named as another's: a credential's verification code is no class's ``code``.
ARGUMENTS = {"credential-verify": {"code": "verification_code"}, "/api/v1/verify/{code}": {"code": "verification_code"}}


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


@dataclass
class Sent:
    """A post: its answer and address, the models it wrote, the audit entries it added, the
    records it was to audit and the row counts just before it (when they were counted)."""

    response: Any
    address: str
    written: set[str]
    entries: list
    audited: list
    rows_before: dict


class AccessMatrixTests(world.MatrixWorld):
    def setUp(self):
        self.bites = Counter()  # what the leak checks found to look at: they must have had something
        self.pdf = PdfSources()
        self.pdf.__enter__()
        self.addCleanup(self.pdf.__exit__)

    # -- requests and what is in them ---------------------------------------------------------

    def _client(self, persona: str) -> Client:
        client = Client()
        user = self.users[persona]
        if user is not None:
            client.force_login(user)
        return client

    def _request(self, client, method, address, data=None, **extra):
        self.pdf.html.clear()
        return client.generic(method, address, **extra) if data is None else client.post(address, data, **extra)

    def _forbidden_ids(self, persona: str) -> set[str]:
        """National IDs of students and applicants the persona may not see."""
        user = self.users[persona]
        everyone = set(Student.objects.values_list("national_id", flat=True)) | set(
            Application.objects.values_list("national_id", flat=True)
        )
        if user is None:
            return everyone
        seen = set(Student.objects.visible_to(user).values_list("national_id", flat=True)) | set(
            Application.objects.visible_to(user).values_list("national_id", flat=True)
        )
        return everyone - seen

    def _assert_in_scope(self, persona, name, address, response, forbidden):
        if response.status_code != 200:
            return
        readable = Readable.of(response, self.pdf.html)
        where = f"{persona} {address}"
        leaked = readable.national_ids() & forbidden
        self.assertFalse(leaked, f"{where}: national IDs outside the scope: {sorted(leaked)[:5]}")
        if readable.xlsx:
            problems, planted = formula_problems(readable.body, totals_allowed=name == "reports:annual_download")
            self.assertEqual(problems, [], f"{where}: cells a spreadsheet would compute")
            self.bites["workbooks"] += 1
            self.bites["planted cells"] += planted
        if "ANDANH-" in readable.text and any(tag in readable.text for tag in self.anonymous_tags):
            self.bites["anonymous answers"] += 1
            names = [full_name for full_name in self.invitee_names if full_name in readable.text]
            self.assertEqual(names, [], f"{where}: an anonymous answer next to the names of those invited")
        if any(marker in readable.text for marker in PER_INVITEE):
            self.bites["invitation lists"] += 1
            match = resolve(urlsplit(address).path)
            round_id = match.kwargs.get("object_id") if match.url_name == "surveys_surveyround_change" else None
            self.assertTrue(
                round_id and not SurveyRound.objects.get(pk=round_id).anonymous,
                f"{where}: who answered, outside the invitations of a named round",
            )
        if readable.pdf:
            self.bites["pdf"] += 1

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
            self._assert_in_scope(persona, name, address, response, forbidden)

    def _page_address(self, route: str, name: str, overrides: dict | None = None) -> str:
        arguments = re.findall(r"<(?:\w+:)?(\w+)>", route)
        given = {**self.kwargs, **(overrides or {})}
        kwargs = {}
        for argument in arguments:
            key = {"slug": "article_slug"}.get(argument, argument) if "category_slug" in arguments else argument
            if name == "portal:preview":
                key = "preview_pk"
            key = ARGUMENTS.get(name, {}).get(argument, key)
            kwargs[argument] = (overrides or {}).get(argument, given[key])
        return reverse(name, kwargs=kwargs)

    # -- which addresses there are --------------------------------------------------------------

    def _pages(self):
        """The pages: every named pattern outside the admin and the API."""
        for route, name, pattern in patterns():
            if route.startswith(("admin/", "api/v1/")) or name is None:
                continue
            yield route, name, pattern

    def _operations(self):
        """``METHOD /path`` of every API operation, with its required query parameters."""
        schema = api.get_openapi_schema()
        for path, methods in schema["paths"].items():
            for method, operation in methods.items():
                query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query" and p["required"]]
                yield f"{method.upper()} {path}", query

    def _operation_address(self, operation: str, query) -> tuple[str, str]:
        method, path = operation.split(" ", 1)
        names = ARGUMENTS.get(path, {})
        address = re.sub(r"\{(\w+)\}", lambda m: str(self.kwargs[names.get(m.group(1), m.group(1))]), path)
        if query:
            address += "?" + urlencode({name: self.kwargs[name] for name in query})
        return method, address

    def _route_requests(self) -> dict[str, tuple[bool | None, str, str]]:
        """The ``ROUTES`` rows: (DEBUG of the URLconf, or None for the test's own; method; address)."""
        media, scan, essay = "/media/", self.files["dossier scan"], self.files["essay"]
        requests = {
            "GET /api/v1/": (None, "GET", "/api/v1/"),
            "GET /api/v1/openapi.json": (None, "GET", "/api/v1/openapi.json"),
            "POST /api/v1/openapi.json": (None, "POST", "/api/v1/openapi.json"),
            "GET /api/v1/<unknown>": (None, "GET", "/api/v1/khong-co/"),
            "DELETE /api/v1/<unknown>": (None, "DELETE", "/api/v1/students/1"),
        }
        for debug in (False, True):
            suffix = " (DEBUG)" if debug else ""
            requests[f"GET /media/portal/<image>{suffix}"] = (debug, "GET", f"{media}{world.PORTAL_IMAGE}")
            requests[f"GET /media/<dossier scan>{suffix}"] = (debug, "GET", f"{media}{scan}")
            requests[f"GET /media/<essay>{suffix}"] = (debug, "GET", f"{media}{essay}")
        return requests

    def test_every_address_is_in_the_matrix(self):
        """Every pattern that ``daotao/urls.py`` registers, with DEBUG on or off, has its row:
        a page, an admin address or a POST by name; an API operation, the API's own addresses
        and the uploads' storage addresses by a row whose address reaches the pattern (or a
        pattern the same route shadows, which is never reached)."""
        pages = {name for _route, name, _pattern in self._pages()}
        self.assertEqual(pages ^ set(matrix.PAGES), set(), "pages missing from the matrix, or no longer there")
        operations = {operation for operation, _query in self._operations()}
        self.assertEqual(operations ^ set(matrix.API), set(), "API operations missing from the matrix, or gone")
        self.assertEqual(set(self._route_requests()) ^ set(matrix.ROUTES), set(), "ROUTES rows and requests differ")
        self.assertLessEqual(set(matrix.POSTS), pages)
        reached = set()
        for urlconf in (None, urls_under(False), urls_under(True)):
            addresses = [self._operation_address(operation, query)[1] for operation, query in self._operations()]
            addresses += [address for debug, _method, address in self._route_requests().values()]
            for address in addresses:
                try:
                    reached.add(resolve(urlsplit(address).path, urlconf).route)
                except Exception:  # not registered in this URLconf (media without DEBUG)
                    continue
        missing = []
        for urlconf in (None, urls_under(False), urls_under(True)):
            earlier = set()
            for route, name, _pattern in patterns(get_resolver(urlconf)):
                if route.startswith("admin/"):
                    covered = (name or "admin:<unknown>") in matrix.ADMIN
                elif name is not None and not route.startswith("api/v1/"):
                    covered = name in matrix.PAGES
                else:
                    covered = route in reached or route in earlier
                if not covered:
                    missing.append(f"{route} ({name or 'no name'})")
                earlier.add(route)
        self.assertEqual(missing, [], "URL patterns that no row of the matrix reaches")
        admin_names = {name or "admin:<unknown>" for route, name, _p in patterns() if route.startswith("admin/")}
        self.assertEqual(admin_names ^ set(matrix.ADMIN), set(), "admin addresses missing from the matrix, or gone")

    # -- GET ---------------------------------------------------------------------------------

    def test_pages(self):
        seen = {}
        for persona in matrix.PERSONAS:
            client = self._client(persona)
            forbidden = self._forbidden_ids(persona)
            for route, name, _pattern in self._pages():
                address = self._page_address(route, name)
                response = self._request(client, "GET", address)
                self._check(seen, persona, name, address, response, forbidden, matrix.PAGES)
        if os.environ.get("DAOTAO_MATRIX_PRINT"):
            _print_table(seen)
            return
        # The checks had something to look at: workbooks with planted text, the anonymous
        # answers (survey results), the HTML of PDFs.
        self.assertGreater(self.bites["planted cells"], 0, self.bites)
        self.assertGreater(self.bites["anonymous answers"], 0, self.bites)
        self.assertGreater(self.bites["pdf"], 0, self.bites)

    def test_academy_pages(self):
        """The national dashboard's addresses in an Academy installation (``ACADEMY_PAGES``;
        ``PAGES`` holds their 404 in a school's), with the same checks of what they show."""
        routes = {name: route for route, name, _pattern in self._pages() if name.startswith("academy:")}
        self.assertEqual(set(routes) ^ set(matrix.ACADEMY_PAGES), set(), "Academy pages missing from ACADEMY_PAGES")
        seen = {}
        with override_settings(DAOTAO_ROLE="academy"):
            for persona in matrix.PERSONAS:
                client = self._client(persona)
                forbidden = self._forbidden_ids(persona)
                for name, route in routes.items():
                    address = self._page_address(route, name)
                    response = self._request(client, "GET", address)
                    self._check(seen, persona, name, address, response, forbidden, matrix.ACADEMY_PAGES)
        if os.environ.get("DAOTAO_MATRIX_PRINT"):
            _print_table(seen)
            return
        self.assertGreater(self.bites["planted cells"], 0, self.bites)

    def test_api(self):
        seen = {}
        for persona in matrix.PERSONAS:
            client = Client()
            headers = {"Authorization": f"Bearer {self.tokens[persona]}"} if persona in self.tokens else {}
            forbidden = self._forbidden_ids(persona)
            for operation, query in self._operations():
                method, address = self._operation_address(operation, query)
                response = self._request(client, method, address, headers=headers)
                self._check(seen, persona, operation, address, response, forbidden, matrix.API)
        if os.environ.get("DAOTAO_MATRIX_PRINT"):
            _print_table(seen)

    def test_routes(self):
        """The API's own addresses (with the persona's token) and the uploads by their
        storage address, with the URLconf DEBUG builds and the one it builds without."""
        seen = {}
        for persona in matrix.PERSONAS:
            client = self._client(persona)
            headers = {"Authorization": f"Bearer {self.tokens[persona]}"} if persona in self.tokens else {}
            forbidden = self._forbidden_ids(persona)
            for label, (debug, method, address) in self._route_requests().items():
                settings = {} if debug is None else {"DEBUG": debug, "ROOT_URLCONF": urls_under(debug)}
                with override_settings(**settings):
                    response = self._request(client, method, address, headers=headers)
                self._check(seen, persona, label, address, response, forbidden, matrix.ROUTES)
        if os.environ.get("DAOTAO_MATRIX_PRINT"):
            _print_table(seen)

    def _admin_address(self, route: str, name: str) -> str:
        arguments = re.findall(r"<(?:\w+:)?(\w+)>", route)
        kwargs = {}
        model = self._admin_model(name)
        for argument in arguments:
            if argument in ("object_id", "id"):
                instance = self._admin_record(model)
                kwargs[argument] = str(instance.pk) if instance else "0"
            elif argument == "app_label":
                kwargs[argument] = name.removeprefix("admin:").removesuffix("_app_list") or "cohorts"
            else:
                kwargs[argument] = "1"
        return reverse(name, kwargs=kwargs)

    @staticmethod
    def _admin_record(model):
        if model is None:
            return None
        if model is SurveyRound:  # the invitations of an anonymous round must not tell who answered
            return SurveyRound.objects.filter(anonymous=True).order_by("pk").first()
        return model._default_manager.order_by("pk").first()

    @staticmethod
    def _admin_model(name: str):
        if name.startswith("admin:auth_user_"):  # Django's UserAdmin names its own addresses
            return User
        for model in admin.site._registry:
            prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
            if name.startswith(prefix):
                return model
        return None

    def test_admin(self):
        seen = {}
        article = Article.objects.filter(status="published").first()
        on_site = {"content_type_id": ContentType.objects.get_for_model(Article).pk, "object_id": article.pk}
        for persona in matrix.PERSONAS:
            client = self._client(persona)
            forbidden = self._forbidden_ids(persona)
            for route, name, _pattern in patterns():
                if not route.startswith("admin/"):
                    continue
                if name is None:  # the admin's catch-all: an address it does not know
                    name, address = "admin:<unknown>", "/admin/unknown/"
                elif name == "admin:app_list":
                    address = reverse(name, kwargs={"app_label": "cohorts"})
                elif name == "admin:view_on_site":  # an article's page on the portal
                    address = reverse(name, kwargs=on_site)
                else:
                    address = self._admin_address(route, name)
                response = self._request(client, "GET", address)
                self._check(seen, persona, name, address, response, forbidden, table=None)
        if os.environ.get("DAOTAO_MATRIX_PRINT"):
            _print_table(seen)
            return
        self._every_round_in_the_admin()

    def _every_round_in_the_admin(self):
        """Who answered is shown for no anonymous round, and is for a named one (so that the
        check above sees it where it is)."""
        for persona in ("superuser", "office"):
            client = self._client(persona)
            for survey_round in SurveyRound.objects.order_by("pk"):
                address = reverse("admin:surveys_surveyround_change", args=[survey_round.pk])
                with self.subTest(persona=persona, round=survey_round.pk):
                    response = self._request(client, "GET", address)
                    self.assertEqual(response.status_code, 200)
                    self._assert_in_scope(persona, "admin:surveys_surveyround_change", address, response, set())
                    shown = any(marker in response.content.decode() for marker in PER_INVITEE)
                    self.assertEqual(shown, not survey_round.anonymous)

    # -- POST ---------------------------------------------------------------------------------

    def _routes(self) -> dict[str, str]:
        return {name: route for route, name, _pattern in self._pages()}

    def _send(self, persona, name, post, change=None, client=None) -> Sent:
        """Post ``post``'s body as ``persona`` (``change`` varies the body or the URL's
        arguments first); what was sent, written and audited."""
        client = client or self._client(persona)
        kwargs = post.prepare(self) if post.prepare else {}
        body = post.body(self, persona)
        if change is not None:
            change(self, persona, body, kwargs)
        address = self._page_address(self._routes()[name], name, kwargs) + post.query
        audited = [(type(r), str(r.pk)) for r in post.audited(self)] if post.audited else []
        rows_before = row_counts() if change is not None else {}
        last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with Writes() as writes:
            response = self._request(client, "POST", address, body)
        entries = list(AuditEntry.objects.filter(pk__gt=last_entry))
        return Sent(response, address, writes.models, entries, audited, rows_before)

    def _ok(self, name) -> list[str]:
        return [persona for persona in matrix.PERSONAS if matrix.expected(matrix.POSTS, name, persona) == "ok"]

    def test_allowed_posts(self):
        """Every ``ok`` cell, posted for real; each in a savepoint rolled back after it."""
        self.assertEqual(
            set(matrix.POSTS) ^ set(posts.CASES), set(), "POSTS rows without their body, or bodies of no row"
        )
        forbidden = {persona: self._forbidden_ids(persona) for persona in matrix.PERSONAS}
        executed = 0
        for name in matrix.POSTS:
            post = posts.CASES[name]
            for persona in self._ok(name):
                with self.subTest(persona=persona, post=name), rolled_back():
                    client = self._client(persona)
                    sent = self._send(persona, name, post, client=client)
                    response = sent.response
                    executed += 1
                    self.assertEqual(_outcome(response), post.answer, why(response))
                    self.assertLessEqual(sent.written, post.writes, "tables it should not write")
                    if post.effect:
                        post.effect(self, persona, response)
                    self.assertEqual(bool(sent.written), bool(post.writes), f"it wrote nothing: {why(response)}")
                    self._assert_audited(self.users[persona], sent)
                    self._assert_in_scope(persona, name, sent.address, response, forbidden[persona])
                    if response.status_code == 302 and response.headers["Location"].startswith("/"):
                        location = response.headers["Location"]
                        followed = self._request(client, "GET", location)
                        self.assertLess(followed.status_code, 500)
                        self._assert_in_scope(persona, name, location, followed, forbidden[persona])
        self.assertEqual(executed, sum(len(self._ok(name)) for name in matrix.POSTS))

    def _assert_audited(self, user, sent):
        """Audit entries by the user, about records the user may see, one at least about each
        record the post audits."""
        entries = sent.entries
        targets = {(entry.content_type.model_class(), entry.object_id) for entry in entries}
        for model, pk in sent.audited:
            self.assertIn((model, pk), targets, "no audit entry about the record changed")
        for entry in entries:
            self.assertEqual(entry.user, user)
            model = entry.content_type.model_class()
            visible_to = getattr(model._default_manager, "visible_to", None)
            if visible_to is not None and model._default_manager.filter(pk=entry.object_id).exists():
                self.assertTrue(visible_to(user).filter(pk=entry.object_id).exists(), f"audited {entry}: out of scope")

    def test_posts_with_ids_out_of_scope(self):
        """Each swap after its control: the same body with its own ids works; with one id
        pointing outside the persona's scope it is refused and changes nothing."""
        tried = 0
        for swap in SWAPS:
            post = swap.base or posts.CASES[swap.name]
            for persona in swap.personas:
                with self.subTest(persona=persona, post=swap.name, swap=swap.what):
                    with rolled_back():
                        control = self._send(persona, swap.name, post)
                        self.assertEqual(_outcome(control.response), post.answer, f"control: {why(control.response)}")
                        self.assertTrue(control.written)
                    with rolled_back():
                        client = self._client(persona)
                        sent = self._send(persona, swap.name, post, swap.change, client)
                        tried += 1
                        refused = self._refused(
                            client, sent.response, swap.refusal, getattr(swap.change, "fields", None)
                        )
                        self.assertTrue(refused, f"{sent.address}: {why(sent.response)}")
                        # A refused import writes nothing but its record, refused (audit/imports.py).
                        recorded = {"audit.ImportRecord"} if swap.refusal == JOB else set()
                        self.assertEqual(sent.written, recorded)
                        self.assertEqual(sent.entries, [])
                        expected = dict(sent.rows_before)
                        if recorded:
                            expected["audit.ImportRecord"] += 1
                            last = ImportRecord.objects.order_by("-pk").first()
                            self.assertEqual((last.user, last.outcome), (self.users[persona], ImportOutcome.REFUSED))
                        self.assertEqual(row_counts(), expected)
        self.assertEqual(tried, sum(len(swap.personas) for swap in SWAPS))

    @staticmethod
    def _refused(client, response, refusal: str, fields=None) -> bool:
        if refusal == JOB:  # the import ran in the request: its page says how it ended
            location = response.headers.get("Location", "") if response.status_code == 302 else ""
            page = client.get(location) if location.startswith("/jobs/") else None
            return page is not None and page.status_code == 200 and page.context["state"]["state"] == "rejected"
        if refusal == FORM:
            errors = form_errors(response) if response.status_code in (200, 400) else []
            named = {name.split("-")[-1] for found in errors for name in found}
            fields = None if fields is None else {name.split("-")[-1] for name in fields} | {"__all__"}
            return bool(errors) and (fields is None or bool(named & fields))
        if refusal == MESSAGE:
            errors = [m for m in get_messages(response.wsgi_request) if m.level == ERROR]
            return response.status_code == 302 and bool(errors)
        return _outcome(response) == refusal

    def test_denied_posts_change_nothing(self):
        """A persona turned away from a page is turned away the same when it posts to it
        (or told the method is not allowed), with the body the form sends (built for a
        persona allowed there), and no record anywhere changes."""
        before, audit = row_counts(), AuditEntry.objects.count()
        printing = os.environ.get("DAOTAO_MATRIX_PRINT")
        seen = {}
        for persona in matrix.PERSONAS:
            for route, name, _pattern in self._pages():
                row = matrix.POSTS if name in matrix.POSTS else matrix.PAGES
                expected = matrix.expected(row, name, persona)
                if printing and name in matrix.POSTS:
                    seen.setdefault(name, {})[persona] = self._print_post(persona, name)
                    continue
                if expected not in matrix.DENIALS:
                    continue
                post = posts.CASES.get(name)
                allowed = self._ok(name) if post else []
                with self.subTest(persona=persona, page=name), rolled_back():
                    if allowed:
                        body = post.body(self, allowed[0])
                        address = self._page_address(route, name, post.prepare(self) if post.prepare else {})
                        address += post.query
                    else:
                        body, address = JUNK, self._page_address(route, name)
                    client = self._client(persona)
                    with Writes() as writes:
                        response = self._request(client, "POST", address, body)
                    self.assertIn(_outcome(response), {expected, "405"}, f"{persona} {address}")
                    self.assertEqual(writes.models, set())
        if printing:
            _print_table(seen)
            return
        self.assertEqual(row_counts(), before)
        self.assertEqual(AuditEntry.objects.count(), audit)

    def _print_post(self, persona, name) -> str:
        post = posts.CASES[name]
        allowed = self._ok(name) or ["office"]
        with rolled_back():
            kwargs = post.prepare(self) if post.prepare else {}
            address = self._page_address(self._routes()[name], name, kwargs) + post.query
            body = post.body(self, persona if persona in allowed else allowed[0])
            response = self._request(self._client(persona), "POST", address, body)
        outcome = _outcome(response)
        return "ok" if outcome == post.answer and persona in allowed else outcome

    def test_every_page_that_takes_a_form_has_its_post_row(self):
        """An address that answers GET with 405 has its POST row; an address without one
        reads no posted body and writes nothing, whoever posts (the persona's GET answer
        not a refusal)."""
        for _route, name, _pattern in self._pages():
            with self.subTest(page=name):
                if "405" in matrix.PAGES[name].split():
                    self.assertIn(name, matrix.POSTS)
        for persona in matrix.PERSONAS:
            client = self._client(persona)
            for route, name, _pattern in self._pages():
                expected = matrix.expected(matrix.PAGES, name, persona)
                if name in matrix.POSTS or expected in matrix.DENIALS:
                    continue
                with self.subTest(persona=persona, page=name), rolled_back():
                    with BodyReads() as reads, Writes() as writes:
                        self._request(client, "POST", self._page_address(route, name), JUNK)
                    self.assertEqual(reads.names, set(), "reads a posted body: give it its POSTS row")
                    self.assertEqual(writes.models, set())


def _print_table(seen):
    with open(os.environ["DAOTAO_MATRIX_PRINT"], "a") as out:
        _write_table(out, seen)


def _write_table(out, seen):
    width = max(len(name) for name in seen) + 2
    out.write("\n" + "".ljust(width) + " ".join(p[:6].ljust(6) for p in matrix.PERSONAS) + "\n")
    for name, answers in seen.items():
        out.write(name.ljust(width) + " ".join(answers.get(p, "-").ljust(6) for p in matrix.PERSONAS) + "\n")
