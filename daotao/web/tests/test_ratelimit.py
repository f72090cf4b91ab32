"""Who a request limit counts (``daotao.web.ratelimit``): the visitor's address, an IPv6 one
by its /64; the counting itself is tested where limits are used (the public check of a
credential, the links to set a new password) and in the cache (``lib/tests/test_cache.py``)."""

from django.test import RequestFactory, SimpleTestCase

from daotao.web.ratelimit import client_address


class ClientAddressTests(SimpleTestCase):
    def address(self, remote: str) -> str:
        return client_address(RequestFactory().get("/", REMOTE_ADDR=remote))

    def test_ipv4_as_it_is(self):
        self.assertEqual(self.address("203.0.113.5"), "203.0.113.5")

    def test_ipv6_by_its_64(self):
        self.assertEqual(self.address("2001:db8:1:2::5"), "2001:db8:1:2::/64")
        self.assertEqual(self.address("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64")
        self.assertNotEqual(self.address("2001:db8:1:3::5"), self.address("2001:db8:1:2::5"))

    def test_an_ipv4_mapped_address_is_that_ipv4_client(self):
        self.assertEqual(self.address("::ffff:203.0.113.5"), "203.0.113.5")

    def test_anything_else_as_it_came(self):
        self.assertEqual(self.address("unix-socket"), "unix-socket")
        self.assertEqual(self.address(""), "")
