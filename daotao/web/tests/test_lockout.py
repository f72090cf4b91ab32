"""Repeated failed sign-ins lock the username out from that address for a while
(django-axes): the right password is refused during the lock-out with a clear page, other
addresses and other users are not affected, and the lock lifts after the cool-off."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from daotao.testing import PASSWORD, WorldTestCase


class LockoutTests(WorldTestCase):
    def sign_in(self, username, password, address="203.0.113.5"):
        return self.client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)

    def test_five_failures_lock_the_account_out_from_that_address(self):
        for _attempt in range(4):
            self.assertEqual(self.sign_in("office", "sai-mat-khau").status_code, 200)  # the form again
        locked = self.sign_in("office", "sai-mat-khau")
        self.assertContains(locked, "15 phút", status_code=429)
        # Even the right password is refused now, from this address.
        self.assertEqual(self.sign_in("office", PASSWORD).status_code, 429)
        self.assertFalse(self.client.session.get("_auth_user_id"))
        # Another user, or the same user from elsewhere, signs in.
        self.assertEqual(self.sign_in("board", PASSWORD).status_code, 302)
        self.client.logout()
        self.assertEqual(self.sign_in("office", PASSWORD, address="198.51.100.20").status_code, 302)
        self.client.logout()
        # After the cool-off, the right password works again.
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
            self.assertEqual(self.sign_in("office", PASSWORD).status_code, 302)

    def test_a_success_clears_the_failures(self):
        for _attempt in range(4):
            self.sign_in("office", "sai-mat-khau")
        self.assertEqual(self.sign_in("office", PASSWORD).status_code, 302)
        self.client.logout()
        for _attempt in range(4):
            self.assertEqual(self.sign_in("office", "sai-mat-khau").status_code, 200)
