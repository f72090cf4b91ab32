"""The Vietnamese catalogue is complete, compiled and keeps every placeholder."""

import re
from pathlib import Path

import polib
from django.conf import settings
from django.test import SimpleTestCase

PO = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{[\w.]+\}")


class CatalogueTests(SimpleTestCase):
    def setUp(self):
        self.po = polib.pofile(str(PO))

    def test_every_message_is_translated(self):
        self.assertEqual([e.msgid for e in self.po.untranslated_entries()], [])
        self.assertEqual([e.msgid for e in self.po.fuzzy_entries()], [])

    def test_compiled_catalogue_matches(self):
        mo = polib.mofile(str(PO.with_suffix(".mo")))
        compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
        for entry in self.po:
            with self.subTest(msgid=entry.msgid):
                self.assertEqual(compiled.get((entry.msgctxt, entry.msgid)), (entry.msgstr, entry.msgstr_plural))

    def test_translations_keep_placeholders(self):
        for entry in self.po:
            translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
            for text in translations:
                with self.subTest(msgid=entry.msgid):
                    source = entry.msgid_plural or entry.msgid
                    self.assertEqual(set(PLACEHOLDER.findall(text)), set(PLACEHOLDER.findall(source)))
