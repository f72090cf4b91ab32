"""In development (DEBUG) runserver serves uploads as the reverse proxy does in production
(docs/deploy.md): the portal's images by address, and no other upload. An essay (like a
dossier scan or a field-trip report) is reached only through its view, which checks who
asks; its storage address answers 404 to everyone, even under DEBUG."""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

import daotao.urls
from daotao.essays.tests.world import EssayWorldTestCase, register

MEDIA = Path(tempfile.mkdtemp(prefix="daotao-debug-media-"))


def urls_under_debug():
    """DaoTao's URLconf as it is built when DEBUG is on (a fresh copy of daotao/urls.py)."""
    with override_settings(DEBUG=True):
        spec = importlib.util.spec_from_file_location("daotao_urls_under_debug", daotao.urls.__file__)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


@override_settings(MEDIA_ROOT=MEDIA)
class DebugMediaTests(EssayWorldTestCase):
    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    def setUp(self):
        self.essay = register(self, title="Nâng cao chất lượng sinh hoạt chi bộ")
        self.essay.file.save("tieu-luan.pdf", ContentFile(b"%PDF-1.4 essay"), save=True)
        image = MEDIA / "portal" / "images" / "2026" / "01" / "khai-giang.png"
        image.parent.mkdir(parents=True, exist_ok=True)
        image.write_bytes(b"\x89PNG\r\n\x1a\n image")
        self.debug_urls = urls_under_debug()

    def get(self, user, url):
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        with override_settings(DEBUG=True, ROOT_URLCONF=self.debug_urls):
            return self.client.get(url)

    def test_the_portal_images_are_served_by_address(self):
        response = self.get(None, f"{settings.MEDIA_URL}portal/images/2026/01/khai-giang.png")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"\x89PNG\r\n\x1a\n image")

    def test_a_private_upload_is_not_served_by_address(self):
        raw = f"{settings.MEDIA_URL}{self.essay.file.name}"
        self.assertTrue((MEDIA / self.essay.file.name).exists())
        for user in (None, self.office, self.student_user, self.other_coordinator):
            with self.subTest(user=getattr(user, "username", "anonymous")):
                self.assertEqual(self.get(user, raw).status_code, 404)

    def test_a_private_upload_is_served_through_its_view_to_those_who_may_see_it(self):
        url = reverse("essays:file", args=[self.essay.pk])
        response = self.get(self.office, url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 essay")
        self.assertEqual(self.get(self.other_coordinator, url).status_code, 404)
