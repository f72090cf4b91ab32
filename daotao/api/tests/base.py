"""What every API test needs: the personas of WorldTestCase and a JSON client."""

from __future__ import annotations

import json

from daotao.accounts.models import ApiToken
from daotao.testing import WorldTestCase

JSON = "application/json; charset=utf-8"


class ApiTestCase(WorldTestCase):
    def get(self, url, params=None, *, user=None, key=None, headers=None):
        """GET as ``user`` (session) or with ``key`` (Bearer), or anonymously."""
        if user is not None:
            self.client.force_login(user)
        headers = dict(headers or {})
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        return self.client.get(url, params or {}, headers=headers)

    def get_json(self, url, params=None, *, status=200, **kwargs):
        response = self.get(url, params, **kwargs)
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], JSON)
        return response.json()

    def key_for(self, user, name="test") -> str:
        return ApiToken.issue(user, name)[1]

    def assert_bad_input(self, response, status: int, field: str, vietnamese: str | None = None):
        """A 4xx JSON answer naming ``field`` in its sentence and its list of errors."""
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], JSON)
        body = response.json()
        self.assertIn(field, [error["field"] for error in body["errors"]], body)
        self.assertIn(f"“{field}”", body["detail"])
        self.assertTrue(all(error["message"] for error in body["errors"]), body)
        if vietnamese:
            self.assertIn(vietnamese, body["detail"])
        return body


def dumps(data) -> object:
    """``data`` as it reads after a JSON round trip (dates become strings)."""
    return json.loads(json.dumps(data, default=str))
