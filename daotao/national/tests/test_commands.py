"""``figures_key`` and ``export_figures``: the key a school registers at the Academy, and the
signed file that the Academy checks with it."""

import copy
import datetime as dt
import json
import re
import stat
import tempfile
from io import StringIO
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils.translation import gettext as _

from daotao.lib import signing
from daotao.national.package import FORMAT, MAX_YEARS
from daotao.testing import WorldTestCase, enroll, make_cohort

PUBLIC_KEY = re.compile(r"^ed25519:[A-Za-z0-9+/]{43}=$", re.MULTILINE)


class FiguresCommandTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        enroll(make_cohort("TC20-01", cls.programs["TC-LLCT-HC"], cls.h01, dt.date(2020, 3, 2)), 12)

    def setUp(self):
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="daotao-figures-")))

    def make_key(self, name="key.pem") -> tuple[Path, str, str]:
        """A new key by the command: its path, its public key and its id as printed."""
        path = self.folder / name
        out = StringIO()
        call_command("figures_key", "--output", str(path), stdout=out)
        text = out.getvalue()
        public = PUBLIC_KEY.search(text).group(0)
        key_id = signing.key_id(public)
        self.assertIn(key_id, text)
        self.assertIn(str(path), text)
        return path, public, key_id

    def export(self, key_path, *args) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        with override_settings(DAOTAO_FIGURES_KEY_FILE=str(key_path)):
            call_command("export_figures", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_figures_key_writes_a_key_for_its_owner_only_and_never_over_a_file(self):
        path, public, key_id = self.make_key()
        self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)
        self.assertEqual(signing.key_id(signing.load_private_key(path)), key_id)
        self.assertEqual(signing.public_key_text(signing.load_private_key(path)), public)
        before = path.read_bytes()
        with self.assertRaises(CommandError) as raised:
            call_command("figures_key", "--output", str(path), stdout=StringIO())
        self.assertEqual(
            str(raised.exception),
            _("%(path)s already exists: a key file is never overwritten. Choose another path.") % {"path": path},
        )
        self.assertEqual(path.read_bytes(), before)
        with self.assertRaises(CommandError):
            call_command("figures_key", stdout=StringIO())
        with self.assertRaises(CommandError) as raised:
            call_command("figures_key", "--output", str(self.folder / "none" / "key.pem"), stdout=StringIO())
        self.assertIn(str(self.folder / "none" / "key.pem"), str(raised.exception))

    def test_the_file_verifies_with_the_printed_public_key(self):
        key_path, public, key_id = self.make_key()
        output = self.folder / "figures-2020.json"
        out, _err = self.export(key_path, "--from", "2020-01-01", "--to", "2020-12-31", "--output", str(output))
        self.assertIn(key_id, out)
        self.assertEqual(sorted(path.name for path in self.folder.iterdir()), ["figures-2020.json", "key.pem"])
        raw = output.read_bytes()
        self.assertTrue(raw.startswith(b'{\n "package": {\n  "format": "daotao-figures/1"'), raw[:80])
        self.assertIn("Thành phố Bình An".encode(), raw)  # UTF-8, not escaped
        document = json.loads(raw.decode("utf-8"))
        self.assertEqual(set(document), {"package", "signature"})
        package = document["package"]
        self.assertEqual(package["format"], FORMAT)
        self.assertEqual(package["school"]["key_id"], key_id)
        self.assertEqual(document["signature"]["key_id"], key_id)
        self.assertEqual(package["period"], {"from": "2020-01-01", "to": "2020-12-31"})
        signing.verify(public, package, document["signature"])
        # A changed figure, a changed name, a line removed: the signature no longer matches.
        for change in (
            lambda p: p["lines"][0].update(students=p["lines"][0]["students"] + 1),
            lambda p: p["school"].update(name="Trường khác"),
            lambda p: p["lines"].pop(),
            lambda p: p["period"].update(to="2021-12-31"),
        ):
            tampered = copy.deepcopy(package)
            change(tampered)
            with self.assertRaises(signing.SigningError):
                signing.verify(public, tampered, document["signature"])
        # Another school's key does not verify it.
        _other_path, other_public, _other_id = self.make_key("other.pem")
        with self.assertRaises(signing.SigningError):
            signing.verify(other_public, package, document["signature"])

    def test_output_to_the_standard_output(self):
        key_path, public, key_id = self.make_key()
        out, err = self.export(key_path, "--from", "01/01/2020", "--to", "31/12/2020", "--output", "-")
        document = json.loads(out)
        signing.verify(public, document["package"], document["signature"])
        self.assertIn(key_id, err)
        self.assertEqual(document["package"]["period"], {"from": "2020-01-01", "to": "2020-12-31"})

    def test_bad_dates_and_arguments_write_nothing(self):
        key_path, _public, _key_id = self.make_key()
        output = self.folder / "out.json"
        cases = [
            ("--from", ["--from", "2020-13-01", "--to", "2020-12-31"]),
            ("--to", ["--from", "2020-01-01"]),
            ("--to", ["--from", "2020-12-31", "--to", "2020-01-01"]),
            ("--to", ["--from", "2020-01-01", "--to", f"{2020 + MAX_YEARS}-01-01"]),
        ]
        for field, args in cases:
            with self.subTest(args=args), self.assertRaises(CommandError) as raised:
                self.export(key_path, *args, "--output", str(output))
            self.assertTrue(str(raised.exception).startswith(f"{field}: "), raised.exception)
        with self.assertRaises(CommandError):
            self.export(key_path, "--from", "2020-01-01", "--to", "2020-12-31")
        missing_folder = self.folder / "none" / "out.json"
        with self.assertRaises(CommandError) as raised:
            self.export(key_path, "--from", "2020-01-01", "--to", "2020-12-31", "--output", str(missing_folder))
        self.assertIn(str(missing_folder), str(raised.exception))
        self.assertEqual(sorted(path.name for path in self.folder.iterdir()), ["key.pem"])

    def test_a_key_that_cannot_be_used(self):
        garbage = self.folder / "garbage.pem"
        garbage.write_text("not a key\n")
        other = self.folder / "ec.pem"
        other.write_bytes(
            ec.generate_private_key(ec.SECP256R1()).private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        missing = self.folder / "missing.pem"
        not_set = _(
            "The school's figures key is not set. Make one with “manage.py figures_key --output PATH”, "
            "set DAOTAO_FIGURES_KEY_FILE to that path and register the public key it prints at the "
            "Academy (docs/deploy.md)."
        )
        cases = {
            "": not_set,
            "  ": not_set,
            str(missing): _("The figures key file %(path)s cannot be read (%(reason)s).")
            % {"path": missing, "reason": "No such file or directory"},
            str(self.folder): _("The figures key file %(path)s cannot be read (%(reason)s).")
            % {"path": self.folder, "reason": "Is a directory"},
            str(garbage): _("The figures key file %(path)s does not hold a private key in PEM form.")
            % {"path": garbage},
            str(other): _("The figures key file %(path)s holds a key that is not an Ed25519 key.") % {"path": other},
        }
        output = self.folder / "out.json"
        for key_path, message in cases.items():
            with self.subTest(key=key_path), self.assertRaises(CommandError) as raised:
                self.export(key_path, "--from", "2020-01-01", "--to", "2020-12-31", "--output", str(output))
            self.assertEqual(str(raised.exception), message)
        self.assertFalse(output.exists())
