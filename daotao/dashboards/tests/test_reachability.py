"""Every page a persona may open is found by clicking from their home: at most four clicks,
following only the links the pages show (``<a href>``), as a person would.

The personas and their records are the access matrix's (``access_world``, the demo seen from
its finished class TCX02-2025-01); the pages each may open are the matrix's ``200`` cells.
Exports (workbooks, PDFs, files, print pages), addresses a person reaches from an email or
a form (a survey's link, the password reset) and machine addresses (the feed, the sitemap)
are left aside. The crawl visits a few addresses of each kind, the class's own first, so
that it stays short while still reaching every kind of page.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve, reverse

from daotao.web.tests import access_matrix as matrix
from daotao.web.tests.access_world import MatrixWorld

CLICKS = 4
# Addresses of one kind visited in all, and of them those of the class's own records.
PER_KIND, PER_KIND_OWN = 2, 3
NOT_CLICKED = {
    "login",
    "logout",
    "favicon",
    "school-logo",  # an image in every page's header, not a page
    "set_language",
    "job",
    "surveys:answer",
    "surveys:thanks",
    "portal:feed",
    "portal:sitemap",
    # One's timetable for a calendar app: its private address is shown once, when made.
    "teaching:feed",
    "password_change_done",
    # Reached from the sign-in page ("Quên mật khẩu?"), which a signed-in persona never sees;
    # the password reset's own browser test clicks it there.
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # Reached from the QR code printed on a credential (its browser test scans one) or by
    # typing the code at /xac-minh/, which every footer links; staff also follow it from a
    # credential's page.
    "credential-verify",
}
EXPORT = re.compile(r"(xlsx|pdf|_download|_export|template|file|_print|field_trip_report)$")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        # A search or filter form sends a GET: submitting it is one more click.
        if tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.hrefs.append(attrs.get("action") or "")


def links(html: str, base: str) -> list[str]:
    """The addresses of the page's links and GET forms, without their fragment, on this
    site only."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        address = urlsplit(urljoin(base, href))
        if address.scheme not in ("", "http") or address.netloc not in ("", "testserver"):
            continue
        if address.path.startswith(("/static/", "/media/")):
            continue
        found.append(address.path + (f"?{address.query}" if address.query else ""))
    return found


def view_name(address: str) -> str | None:
    try:
        return resolve(urlsplit(address).path).view_name
    except Resolver404:
        return None


def pages_to_reach(persona: str) -> set[str]:
    """The pages the matrix lets ``persona`` open (200), exports and the like aside."""
    column = matrix.PERSONAS.index(persona)
    return {
        name
        for name, row in matrix.PAGES.items()
        if row.split()[column] == "200" and name not in NOT_CLICKED and not EXPORT.search(name)
    }


class Crawl:
    """A breadth-first walk from the persona's home along the links of each page."""

    def __init__(self, client: Client, own: tuple[str, ...]):
        self.client = client
        self.own = own
        self.depth: dict[str, int] = {}  # view name -> clicks from home
        self.addresses: dict[str, int] = {}  # address reached -> clicks from home
        self.kinds: Counter = Counter()
        self.own_kinds: Counter = Counter()
        # Links shown to the persona that answer with an error: (page, link, status).
        self.broken: list[tuple[str, str, int]] = []
        # Staff pages (under the staff menu) without breadcrumbs.
        self.without_breadcrumbs: list[str] = []

    def _open(self, address: str):
        response = self.client.get(address)
        for _hop in range(3):  # a click that is redirected lands where it leads
            if response.status_code not in (301, 302):
                break
            address = response.headers["Location"]
            response = self.client.get(address)
        return address, response

    def _worth(self, address: str, name: str) -> bool:
        if name in NOT_CLICKED or EXPORT.search(name):
            return False
        if any(part in address for part in self.own) and self.own_kinds[name] < PER_KIND_OWN:
            self.own_kinds[name] += 1
            return True
        if self.kinds[name] < PER_KIND:
            self.kinds[name] += 1
            return True
        return False

    def run(self, start: str, clicks: int = CLICKS) -> None:
        queue = deque([(start, 0, "")])
        seen = {start}
        while queue:
            address, depth, source = queue.popleft()
            address, response = self._open(address)
            name = view_name(address)
            if response.status_code >= 400:
                self.broken.append((source, address, response.status_code))
            if response.status_code != 200 or name is None:
                continue
            self.depth.setdefault(name, depth)
            self.addresses.setdefault(urlsplit(address).path, depth)
            html = response.content.decode() if "html" in response.headers.get("Content-Type", "") else ""
            if 'class="main-nav"' in html and name != "home" and 'class="breadcrumbs"' not in html:
                self.without_breadcrumbs.append(address)
            if depth == clicks or "html" not in response.headers.get("Content-Type", ""):
                continue
            for link in links(html, address):
                target = view_name(link)
                if target is None or link in seen or not self._worth(link, target):
                    continue
                seen.add(link)
                queue.append((link, depth + 1, address))


class EveryPageWithinFourClicks(MatrixWorld):
    def crawl(self, persona: str) -> Crawl:
        client = Client()
        client.force_login(self.users[persona])
        cohort = self.cohort
        crawl = Crawl(client, own=(f"/{cohort.code}/", f"/{cohort.pk}/"))
        crawl.run(reverse("home"))
        return crawl

    def test_every_persona_reaches_every_page_it_may_open(self):
        for persona in matrix.PERSONAS:
            if persona == "anonymous":
                continue
            with self.subTest(persona=persona):
                crawl = self.crawl(persona)
                missing = sorted(pages_to_reach(persona) - set(crawl.depth))
                self.assertEqual(missing, [], f"{persona} cannot click their way to these pages")
                # No page shows the persona a link that refuses them or leads nowhere.
                self.assertEqual(crawl.broken, [], f"{persona} is shown links that answer with an error")
                self.assertEqual(crawl.without_breadcrumbs, [], f"{persona}: staff pages without breadcrumbs")

    def test_the_office_reaches_every_part_of_the_class(self):
        crawl = self.crawl("office")
        cohort, pk = self.cohort, self.cohort.pk
        parts = [
            reverse("cohorts:detail", args=[cohort.code]),
            reverse("teaching:cohort", args=[pk]),
            reverse("teaching:organisation", args=[pk]),
            reverse("grading:cohort", args=[pk]),
            reverse("grading:sheet", args=[pk, self.module.pk]),
            reverse("grading:report", args=[pk]),
            reverse("grading:decisions", args=[pk]),
            reverse("grading:decide", args=[pk]),
            reverse("essays:cohort", args=[pk]),
            reverse("twoway:cohort", args=[pk]),
        ]
        self.assertEqual([part for part in parts if part not in crawl.addresses], [])
        # A lesson's attendance and lecture log, an evaluation round and a field trip of the class.
        of_class = {
            "teaching:attendance": lambda kwargs: self.cohort.lessons.filter(pk=kwargs["lesson_id"]).exists(),
            "teaching:log": lambda kwargs: self.cohort.lessons.filter(pk=kwargs["lesson_id"]).exists(),
            "surveys:results_round": lambda kwargs: self.cohort.survey_rounds.filter(pk=kwargs["round_id"]).exists(),
            "teaching:field_trip_edit": lambda kwargs: self.cohort.field_trips.filter(pk=kwargs["trip_id"]).exists(),
        }
        reached = {
            resolve(address).view_name
            for address in crawl.addresses
            if resolve(address).view_name in of_class and of_class[resolve(address).view_name](resolve(address).kwargs)
        }
        self.assertEqual(reached, set(of_class))
