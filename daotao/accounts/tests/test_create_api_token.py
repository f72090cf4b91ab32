"""manage.py create_api_token USERNAME [--name NAME]"""

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import Client

from daotao.accounts.models import ApiToken
from daotao.testing import WorldTestCase


class CreateApiTokenTests(WorldTestCase):
    def run_command(self, *args):
        stdout, stderr = StringIO(), StringIO()
        call_command("create_api_token", *args, stdout=stdout, stderr=stderr)
        return stdout.getvalue(), stderr.getvalue()

    def test_prints_the_key_once_and_it_opens_the_api(self):
        stdout, stderr = self.run_command("coord1", "--name", "Bảng tính của huyện")
        key = stdout.strip()
        self.assertEqual(stdout, key + "\n")  # the key alone, for scripts
        token = ApiToken.objects.get(user=self.coordinator)
        self.assertEqual(token.name, "Bảng tính của huyện")
        self.assertIn("Bảng tính của huyện", stderr)
        self.assertNotIn(key, stderr)
        self.assertNotEqual(token.key_hash, key)
        response = Client().get("/api/v1/students", headers={"Authorization": f"Bearer {key}"})
        self.assertEqual(response.status_code, 200)

    def test_default_name(self):
        self.run_command("office")
        self.assertTrue(ApiToken.objects.get(user=self.office).name)

    def test_each_run_issues_a_new_key(self):
        first, _ = self.run_command("office")
        second, _ = self.run_command("office")
        self.assertNotEqual(first, second)
        self.assertEqual(ApiToken.objects.filter(user=self.office).count(), 2)

    def test_refusals_name_the_user(self):
        self.board.is_active = False
        self.board.save()
        for username in ("ghost", "board", "nobody", "coord0"):
            with self.subTest(username=username):
                with self.assertRaisesMessage(CommandError, f"“{username}”"):
                    self.run_command(username)
        self.assertFalse(ApiToken.objects.exists())

    def test_name_too_long(self):
        with self.assertRaises(CommandError):
            self.run_command("office", "--name", "x" * 101)
        self.assertFalse(ApiToken.objects.exists())
