"""Anyone checks a printed credential by its code: the code's forms, its QR code (read back
with a barcode reader), the public page /xac-minh/ for a valid, voided and reissued
credential, what it never shows, a wrong code answered as an unknown one, its headers, and
the limit of look-ups per client; the printed form's verification mark."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import time_machine
import zxingcpp
from django.db import connection
from django.test import SimpleTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from daotao.accounts.models import User
from daotao.demo import teaching_data as td
from daotao.grading import register
from daotao.grading.models import CODE_ALPHABET, Credential, CredentialKind, CredentialStatus, new_verification_code
from daotao.grading.verification import format_code, lookup, normalize_code, qr_svg, verification_url
from daotao.lib.env import cache_from_url
from daotao.lib.vietnamese import format_date
from daotao.testing import DemoTestCase

CODE = "K7QX3MZP9T"
MODULE_PIXELS = 8
_clients = itertools.count()


def svg_image(svg: str) -> Image.Image:
    """segno's inline SVG drawn as black runs on white, as a scanner would see it printed:
    its viewBox and the one path of horizontal runs (``M``/``m`` moves, ``h`` runs) it
    draws each row of dark modules with, 1 module wide."""
    width, height = (int(float(n)) for n in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    path = re.search(r' d="([^"]+)"', svg).group(1)
    image = Image.new("L", (width * MODULE_PIXELS, height * MODULE_PIXELS), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, first, second in re.findall(r"([MmHh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?", path):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            end = float(first) if command == "H" else x + float(first)
            row = int(y)  # runs are drawn along the middle of their row (y + 0.5)
            left, right = sorted((x, end))
            draw.rectangle(
                [left * MODULE_PIXELS, row * MODULE_PIXELS, right * MODULE_PIXELS - 1, (row + 1) * MODULE_PIXELS - 1],
                fill=0,
            )
            x = end
    return image


def decoded(image: Image.Image) -> list[str]:
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


class CodeTests(SimpleTestCase):
    def test_printed_in_two_groups_of_five(self):
        self.assertEqual(format_code(CODE), "K7QX3-MZP9T")

    def test_typed_codes_are_read_as_people_type_them(self):
        for typed in ("K7QX3-MZP9T", "k7qx3mzp9t", " K7QX3 MZP9T ", "k7qx3 - mzp9t"):
            with self.subTest(typed=typed):
                self.assertEqual(normalize_code(typed), CODE)
        # Letters the alphabet leaves out, read as the digits they look like.
        self.assertEqual(normalize_code("AOIL0-00000"), "A011000000")
        self.assertEqual(normalize_code("oooooiiiii"), "0000011111")

    def test_what_cannot_be_a_code(self):
        for typed in ("", "K7QX3", "K7QX3MZP9TX", "K7QX3MZP9U", "K7QX3MZP9!", "K7QX3_MZP9T", "Đ7QX3MZP9T", "1" * 500):
            with self.subTest(typed=typed):
                self.assertIsNone(normalize_code(typed))
        self.assertIsNone(normalize_code(None))

    def test_new_codes_are_of_the_alphabet(self):
        codes = {new_verification_code() for _ in range(200)}
        self.assertEqual(len(codes), 200)
        for code in codes:
            self.assertEqual(normalize_code(code), code)
            self.assertLessEqual(set(code), set(CODE_ALPHABET))

    @override_settings(DAOTAO_SITE_URL="https://daotao.truong.example.vn")
    def test_the_address_is_the_schools_public_one(self):
        self.assertEqual(verification_url(CODE), f"https://daotao.truong.example.vn/xac-minh/{CODE}/")

    def test_qr_code_is_inline_scalable_black_svg(self):
        svg = qr_svg(f"https://daotao.truong.example.vn/xac-minh/{CODE}/")
        self.assertTrue(svg.startswith("<svg"), svg[:40])
        self.assertNotIn("<?xml", svg)
        self.assertRegex(svg, r'^<svg [^>]*viewBox="0 0 \d+ \d+"')
        self.assertNotRegex(svg.split(">", 1)[0], r"\b(width|height)=")
        self.assertIn('stroke="#000"', svg)

    def test_qr_code_reads_back_as_the_address(self):
        for url in (f"http://127.0.0.1:8000/xac-minh/{CODE}/", f"https://daotao.truong.example.vn/xac-minh/{CODE}/"):
            with self.subTest(url=url):
                self.assertEqual(decoded(svg_image(qr_svg(url))), [url])

    def test_error_correction_m(self):
        results = zxingcpp.read_barcodes(svg_image(qr_svg(f"http://localhost/xac-minh/{CODE}/")))
        self.assertEqual([result.ec_level for result in results], ["M"])


class DemoCredentials(DemoTestCase):
    """The demo's finished class TCX02-2025-01: diplomas, one of them reissued; the
    fostering class's certificates, one lost and confirmed."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.office = User.objects.get(username="daotao")
        cls.student = User.objects.get(username=td.STUDENT_USERNAME).student
        cls.own = Credential.objects.get(enrollment__student=cls.student, status=CredentialStatus.VALID)
        cls.replaced = Credential.objects.filter(kind=CredentialKind.DIPLOMA, status=CredentialStatus.REPLACED).first()
        cls.lost = Credential.objects.filter(kind=CredentialKind.CERTIFICATE, status=CredentialStatus.REPLACED).first()

    def setUp(self):
        # A client address of the test's own: its look-ups never count against another test's.
        number = next(_clients)
        self.address = f"10.0.{number // 250}.{number % 250 + 1}"

    def page(self, code, address=None):
        return self.client.get(reverse("credential-verify", args=[code]), REMOTE_ADDR=address or self.address)


class VerificationPageTests(DemoCredentials):
    def test_a_valid_diploma(self):
        response = self.page(self.own.verification_code)
        self.assertEqual(response.status_code, 200)
        found = response.context["found"]
        self.assertEqual(found.status, CredentialStatus.VALID)
        cohort = self.own.enrollment.cohort
        for text in (
            self.student.full_name,
            str(self.student.date_of_birth.year),
            cohort.program.name,
            f"{cohort.name} ({cohort.code})",
            self.own.serial_number,
            self.own.register_number,
            format_date(self.own.issued_on),
        ):
            self.assertContains(response, text, html=False)
        self.assertContains(response, 'class="verify-result verify-valid"')
        if self.own.graduation.classification:
            self.assertContains(response, found.classification_label)
        self.assertEqual(found.classification, self.own.graduation.classification)

    def test_never_the_national_id_full_birth_date_phone_or_email(self):
        student = self.student
        if not student.phone:
            student.phone = "0912345678"
        if not student.email:
            student.email = "hocvien.demo@example.vn"
        student.save(update_fields=["phone", "email"])
        body = self.page(self.own.verification_code).content.decode()
        self.assertIn(student.full_name, body)
        self.assertNotIn(student.national_id, body)
        self.assertNotIn(format_date(student.date_of_birth), body)  # dd/mm/yyyy
        self.assertNotIn(student.date_of_birth.isoformat(), body)
        self.assertNotIn(student.phone, body)
        self.assertNotIn(student.email, body)
        self.assertNotRegex(body, r"\b\d{1,2}/\d{1,2}/" + str(student.date_of_birth.year))

    def test_a_voided_credential(self):
        credential = register.credential_void(user=self.office, credential=self.own, reason="Cấp nhầm.")
        response = self.page(credential.verification_code)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["found"].status, CredentialStatus.VOIDED)
        self.assertContains(response, 'class="verify-result verify-voided"')
        self.assertContains(response, self.own.serial_number)
        kind = CredentialKind.DIPLOMA.label.lower()
        self.assertContains(response, _("This %(kind)s has been voided: it is not valid.") % {"kind": kind})

    def test_a_reissued_diploma_names_its_replacement(self):
        replacement = Credential.objects.get(replaces=self.replaced)
        response = self.page(self.replaced.verification_code)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["found"].status, CredentialStatus.REPLACED)
        self.assertContains(response, 'class="verify-result verify-replaced"')
        self.assertContains(response, self.replaced.serial_number)
        self.assertContains(
            response,
            _("It was replaced by the %(kind)s with serial number %(serial)s, issued on %(date)s, which is valid.")
            % {
                "kind": CredentialKind.DIPLOMA.label.lower(),
                "serial": replacement.serial_number,
                "date": format_date(replacement.issued_on),
            },
        )

    def test_a_chain_of_reissues_leads_to_the_valid_one(self):
        second = Credential.objects.get(replaces=self.replaced)
        third = register.credential_reissue(
            user=self.office, credential=second, reason="Sai tên.", issued_on=second.issued_on + dt.timedelta(days=9)
        )
        found = lookup(self.replaced.verification_code)
        self.assertEqual(found.replacement.serial_number, third.serial_number)
        self.assertEqual(found.replacement.issued_on, third.issued_on)
        self.assertTrue(found.replacement.valid)
        register.credential_void(user=self.office, credential=third, reason="Cấp nhầm.")
        found = lookup(self.replaced.verification_code)
        self.assertEqual(found.replacement.serial_number, third.serial_number)
        self.assertFalse(found.replacement.valid)

    def test_a_lost_certificate_names_the_confirmation(self):
        confirmation = Credential.objects.get(replaces=self.lost)
        found = lookup(self.lost.verification_code)
        self.assertEqual(found.status, CredentialStatus.REPLACED)
        self.assertEqual(found.replacement.kind, CredentialKind.CONFIRMATION)
        self.assertEqual(found.replacement.serial_number, confirmation.serial_number)
        self.assertEqual(found.classification, "")  # a certificate has no classification
        self.assertEqual(lookup(confirmation.verification_code).status, CredentialStatus.VALID)
        response = self.page(self.lost.verification_code)
        self.assertContains(response, CredentialKind.CONFIRMATION.label.lower())
        self.assertContains(response, confirmation.serial_number)

    def test_the_code_as_printed_or_typed(self):
        code = self.own.verification_code
        for typed in (format_code(code), code.lower(), format_code(code).lower()):
            with self.subTest(typed=typed):
                self.assertEqual(self.page(typed).context["found"].serial_number, self.own.serial_number)
        response = self.client.get(
            reverse("credential-verify-form"), {"ma": f" {format_code(code).lower()} "}, REMOTE_ADDR=self.address
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["found"].serial_number, self.own.serial_number)

    def test_the_form_alone(self):
        response = self.client.get(reverse("credential-verify-form"))
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["found"])
        self.assertContains(response, 'name="ma"')
        self.assertNotContains(response, "verify-result")

    def test_a_wrong_code_is_answered_as_an_unknown_one(self):
        unknown = next(code for code in iter(new_verification_code, None) if not lookup(code))
        answers = {
            "unknown": self.page(unknown),
            "malformed": self.page("not-a-code!"),
            "too long": self.page("K" * 300),
            "letter U": self.page(unknown[:-1] + "U"),
            "typed unknown": self.client.get(
                reverse("credential-verify-form"), {"ma": unknown}, REMOTE_ADDR=self.address
            ),
            "typed malformed": self.client.get(
                reverse("credential-verify-form"), {"ma": "<b>x</b>"}, REMOTE_ADDR=self.address
            ),
        }
        bodies = set()
        for name, response in answers.items():
            with self.subTest(name):
                self.assertEqual(response.status_code, 404)
                self.assertTemplateUsed(response, "grading/verify.html")
                body = response.content.decode()
                self.assertNotIn(unknown, body)  # the code is never repeated
                self.assertNotIn("not-a-code", body)
                self.assertNotIn("&lt;b&gt;x", body)
                # The same page but for the language form's CSRF token, masked anew for each answer.
                bodies.add(re.sub(rb'name="csrfmiddlewaretoken" value="\w+"', b"", response.content))
        self.assertEqual(len(bodies), 1, "wrong and unknown codes must get the same page")

    def test_private_headers_on_every_answer(self):
        answers = [
            self.page(self.own.verification_code),
            self.page("ZZZZZZZZZZ"),
            self.client.get(reverse("credential-verify-form")),
        ]
        for response in answers:
            with self.subTest(status=response.status_code):
                self.assertEqual(response["X-Robots-Tag"], "noindex")
                self.assertIn("no-store", response["Cache-Control"])
                self.assertEqual(response["Referrer-Policy"], "no-referrer")
                self.assertNotIn("public", response["Cache-Control"])
        self.assertContains(answers[0], '<meta name="robots" content="noindex">')

    def test_signed_in_or_not_the_same_answer(self):
        anonymous = self.page(self.own.verification_code)
        self.client.force_login(self.office)
        signed_in = self.page(self.own.verification_code)
        self.assertEqual(anonymous.context["found"], signed_in.context["found"])

    def test_only_get_and_head(self):
        response = self.client.post(reverse("credential-verify", args=[self.own.verification_code]))
        self.assertEqual(response.status_code, 405)

    @override_settings(CACHES={"default": cache_from_url("db://daotao_cache")})  # the counter's statements
    def test_a_constant_number_of_queries(self):
        def statements(code) -> list[str]:
            with CaptureQueriesContext(connection) as context:
                self.page(code)
            # Without the savepoints the test's transaction adds around each write.
            return [query["sql"] for query in context.captured_queries if "SAVEPOINT" not in query["sql"]]

        statements(self.own.verification_code)  # the school's identity is read once per process
        # The client's counter (written if absent, then read and added to: 3), the credential
        # with its student, class and program (1), the visitor box (3); for a replaced one, the
        # one that replaced it (1 for each reissue).
        self.assertEqual(len(statements(self.own.verification_code)), 7)
        self.assertEqual(len(statements(self.replaced.verification_code)), 8)
        self.assertEqual(len(statements("ZZZZZZZZZZ")), 7)
        self.assertEqual(len(statements("nonsense")), 6)


@override_settings(DAOTAO_VERIFY_PER_MINUTE=3)
class RateLimitTests(DemoCredentials):
    def test_past_the_limit_429_for_valid_and_invalid_codes_alike(self):
        valid, client = self.own.verification_code, "203.0.113.5"
        self.assertEqual(self.page(valid, client).status_code, 200)
        self.assertEqual(self.page("ZZZZZZZZZZ", client).status_code, 404)
        self.assertEqual(self.page("nonsense", client).status_code, 404)
        refused = [self.page(valid, client), self.page("ZZZZZZZZZZ", client), self.page("nonsense", client)]
        refused.append(self.client.get(reverse("credential-verify-form"), {"ma": valid}, REMOTE_ADDR=client))
        for response in refused:
            self.assertEqual(response.status_code, 429)
            self.assertEqual(response["Retry-After"], "60")
            self.assertEqual(response["X-Robots-Tag"], "noindex")
            self.assertIn("no-store", response["Cache-Control"])
            self.assertContains(response, _("Too many requests"), status_code=429)
            self.assertNotContains(response, self.student.full_name, status_code=429)
        self.assertEqual(len({response.content for response in refused}), 1)
        # The form without a code is no look-up.
        self.assertEqual(self.client.get(reverse("credential-verify-form"), REMOTE_ADDR=client).status_code, 200)

    # The database cache, whose expiry follows the travelled clock (a Redis server's does not).
    @override_settings(CACHES={"default": cache_from_url("db://daotao_cache")})
    def test_each_client_counts_for_itself_and_the_window_passes(self):
        start = dt.datetime(2026, 9, 1, 3, 0, tzinfo=dt.UTC)
        with time_machine.travel(start, tick=False):
            for _n in range(3):
                self.page("ZZZZZZZZZZ", "203.0.113.6")
            self.assertEqual(self.page(self.own.verification_code, "203.0.113.6").status_code, 429)
            self.assertEqual(self.page(self.own.verification_code, "203.0.113.7").status_code, 200)
        with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
            self.assertEqual(self.page(self.own.verification_code, "203.0.113.6").status_code, 200)

    def test_an_ipv6_client_counts_by_its_64(self):
        for suffix in ("1", "2", "3"):
            self.page("ZZZZZZZZZZ", f"2001:db8:1:2::{suffix}")
        self.assertEqual(self.page(self.own.verification_code, "2001:db8:1:2::ffff").status_code, 429)
        self.assertEqual(self.page(self.own.verification_code, "2001:db8:1:3::1").status_code, 200)

    @override_settings(DAOTAO_TRUSTED_PROXIES=["10.0.0.2"])
    def test_behind_the_trusted_proxy_the_visitor_counts(self):
        def via_proxy(visitor):
            return self.client.get(
                reverse("credential-verify", args=["ZZZZZZZZZZ"]),
                REMOTE_ADDR="10.0.0.2",
                HTTP_X_FORWARDED_FOR=visitor,
            )

        for _n in range(3):
            via_proxy("198.51.100.20")
        self.assertEqual(via_proxy("198.51.100.20").status_code, 429)
        self.assertEqual(via_proxy("198.51.100.21").status_code, 404)


class PrintedMarkTests(DemoCredentials):
    @override_settings(DAOTAO_SITE_URL="https://daotao.truong.example.vn")
    def test_the_print_carries_the_code_the_address_and_its_qr_code(self):
        self.client.force_login(self.office)
        code = self.own.verification_code
        # Opened at another host (an internal address): the paper still leads to the public one.
        response = self.client.get(reverse("grading:credential_print", args=[self.own.pk]), HTTP_HOST="localhost")
        self.assertEqual(response.status_code, 200)
        url = f"https://daotao.truong.example.vn/xac-minh/{code}/"
        self.assertEqual(response.context["verification"]["url"], url)
        self.assertContains(response, f"Mã xác minh: <strong>{format_code(code)}</strong>")
        self.assertContains(response, f"daotao.truong.example.vn/xac-minh/{code}/")
        self.assertNotContains(response, "localhost/xac-minh")
        html = response.content.decode()
        mark = re.search(r'<div class="verify">(<svg .*?</svg>)', html, re.S)
        self.assertIsNotNone(mark, "the QR code inside the verification mark")
        self.assertEqual(decoded(svg_image(mark.group(1))), [url])
        # In the foot, before the signature.
        self.assertLess(html.index('<div class="verify">'), html.index('<div class="sign">'))
        self.assertLess(html.index('<div class="foot">'), html.index('<div class="verify">'))

    def test_the_pdf_prints(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("grading:credential_print", args=[self.own.pk]), {"format": "pdf"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
