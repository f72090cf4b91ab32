"""Behind the reverse proxy the visitor's address comes from X-Forwarded-For, but only
when the request comes from a trusted proxy: anyone else could write that header."""

from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase, override_settings

from daotao.web.middleware import TrustedProxyMiddleware


def address_seen(request):
    return HttpResponse(request.META["REMOTE_ADDR"])


class TrustedProxyTests(SimpleTestCase):
    def seen(self, remote, forwarded=None, trusted=("10.0.0.2",)):
        with override_settings(DAOTAO_TRUSTED_PROXIES=list(trusted)):
            middleware = TrustedProxyMiddleware(address_seen)
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return middleware(RequestFactory().get("/", **extra)).content.decode()

    def test_the_visitor_behind_a_trusted_proxy(self):
        self.assertEqual(self.seen("10.0.0.2", "203.0.113.7"), "203.0.113.7")
        # The visitor may send their own header: the proxy appends the real address last.
        self.assertEqual(self.seen("10.0.0.2", "1.1.1.1, 203.0.113.7"), "203.0.113.7")
        # Two proxies in a row, both trusted.
        self.assertEqual(
            self.seen("10.0.0.2", "203.0.113.7, 10.0.0.3", trusted=("10.0.0.2", "10.0.0.3")), "203.0.113.7"
        )

    def test_the_header_is_ignored_from_anyone_else_or_when_empty(self):
        self.assertEqual(self.seen("198.51.100.9", "1.1.1.1"), "198.51.100.9")
        self.assertEqual(self.seen("10.0.0.2"), "10.0.0.2")
        self.assertEqual(self.seen("10.0.0.2", " , "), "10.0.0.2")
        self.assertEqual(self.seen("10.0.0.2", "1.1.1.1", trusted=()), "10.0.0.2")
