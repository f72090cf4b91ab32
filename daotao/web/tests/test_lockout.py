"""Sign-in lock-out (django-axes, daotao/accounts/lockout.py). After 5 failed sign-ins of a
username from one address, that username waits 1 minute there, then twice as long after
each further failure (at most 60 minutes); the right password is refused during the wait
with a clear page, and a sign-in tried during the wait is not counted. Colleagues behind
the same address, and the same user from elsewhere, are not affected. One address that
fails too often across usernames (50 an hour) waits as a whole, the same way."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import override_settings
from django.urls import reverse

from daotao.accounts.lockout import backoff
from daotao.testing import PASSWORD, WorldTestCase

START = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
OFFICE = "203.0.113.5"  # the school's office, behind one address
ELSEWHERE = "198.51.100.20"


# Many sign-ins here, each checking the password for real (with the tests' fast hasher, conftest.py).
class LockoutTestCase(WorldTestCase):
    def setUp(self):
        traveller = time_machine.travel(START, tick=False)
        self.clock = traveller.start()
        self.addCleanup(traveller.stop)

    def later(self, **delta):
        self.clock.shift(dt.timedelta(**delta))

    def sign_in(self, username, password="sai-mat-khau", address=OFFICE):
        self.client.logout()
        return self.client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)

    def fail_sign_in(self, username, times, address=OFFICE):
        """``times`` wrong passwords; the answer to the last one."""
        for _attempt in range(times):
            response = self.sign_in(username, address=address)
        return response

    def assertSignedIn(self, response):
        self.assertEqual(response.status_code, 302, response.content[:300])
        self.assertTrue(self.client.session.get("_auth_user_id"))

    def assertWaits(self, response, minutes, address=False):
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response["Retry-After"], str(minutes * 60))
        where = "từ địa chỉ này" if address else "vào tài khoản này từ đây"
        self.assertContains(response, where, status_code=429)
        self.assertContains(response, f"thử lại sau {minutes} phút", status_code=429)


class AccountLockoutTests(LockoutTestCase):
    def test_five_failures_make_the_account_wait_a_minute_from_that_address(self):
        for _attempt in range(4):
            self.assertEqual(self.sign_in("office").status_code, 200)  # the form again
        self.assertWaits(self.sign_in("office"), 1)
        # Even the right password is refused now, from this address.
        self.assertEqual(self.sign_in("office", PASSWORD).status_code, 429)
        self.assertFalse(self.client.session.get("_auth_user_id"))
        # A colleague behind the same address, or the same user from elsewhere, signs in.
        self.assertSignedIn(self.sign_in("board", PASSWORD))
        self.assertSignedIn(self.sign_in("office", PASSWORD, address=ELSEWHERE))
        # After the minute, the right password works again.
        self.later(seconds=61)
        self.assertSignedIn(self.sign_in("office", PASSWORD))

    def test_each_further_failure_doubles_the_wait_up_to_the_longest(self):
        self.assertWaits(self.fail_sign_in("office", 5), 1)
        for minutes in (2, 4, 8, 16, 32, 60, 60):
            with self.subTest(minutes=minutes):
                self.later(seconds=59)
                self.assertEqual(self.sign_in("office", PASSWORD).status_code, 429)  # still waiting
                self.later(minutes=60)  # past any wait: the next failure is counted
                self.assertWaits(self.sign_in("office"), minutes)

    def test_sign_ins_tried_during_the_wait_do_not_lengthen_it(self):
        self.fail_sign_in("office", 5)
        for _attempt in range(10):
            self.later(seconds=5)
            self.assertEqual(self.sign_in("office").status_code, 429)
            self.assertEqual(self.sign_in("office", PASSWORD).status_code, 429)
        self.later(seconds=11)  # 61 seconds after the fifth failure
        self.assertSignedIn(self.sign_in("office", PASSWORD))

    def test_a_success_clears_the_failures(self):
        self.fail_sign_in("office", 4)
        self.assertSignedIn(self.sign_in("office", PASSWORD))
        for _attempt in range(4):
            self.assertEqual(self.sign_in("office").status_code, 200)

    def test_failures_are_forgotten_a_day_after_the_last(self):
        self.assertWaits(self.fail_sign_in("office", 5), 1)
        self.later(hours=23)
        self.assertWaits(self.sign_in("office"), 2)  # still remembered: the wait grows
        self.later(hours=24, minutes=1)
        self.assertEqual(self.fail_sign_in("office", 4).status_code, 200)  # counted afresh
        self.assertWaits(self.sign_in("office"), 1)

    def test_a_colleague_on_the_same_address_is_not_locked_out(self):
        # Everyone in the office mistypes now and then; one keeps failing.
        for username in ("board", "coord1", "coord2", "nobody"):
            self.fail_sign_in(username, 4)
        self.fail_sign_in("office", 12)
        for username in ("board", "coord1", "coord2", "nobody"):
            with self.subTest(username=username):
                self.assertSignedIn(self.sign_in(username, PASSWORD))


class AddressLockoutTests(LockoutTestCase):
    def test_many_usernames_from_one_address_wait(self):
        # Guessing one password across many accounts: 50 failures within the hour.
        for number in range(49):
            self.assertEqual(self.sign_in(f"user{number:02d}").status_code, 200)
        self.assertWaits(self.sign_in("user49"), 1, address=True)
        # The whole address waits, a right password included; other addresses do not.
        self.assertWaits(self.sign_in("board", PASSWORD), 1, address=True)
        self.assertSignedIn(self.sign_in("board", PASSWORD, address=ELSEWHERE))
        # After the wait a sign-in works, and does not clear the address's count: the next
        # failure waits twice as long.
        self.later(seconds=61)
        self.assertSignedIn(self.sign_in("board", PASSWORD))
        self.assertWaits(self.sign_in("user50"), 2, address=True)
        # An hour after those failures the address is free again.
        self.later(hours=1, minutes=3)
        self.assertEqual(self.sign_in("user51").status_code, 200)

    @override_settings(DAOTAO_ADDRESS_SIGN_IN_ATTEMPTS=6)
    def test_the_longer_wait_is_shown_when_both_apply(self):
        self.assertWaits(self.fail_sign_in("office", 5), 1)
        self.later(seconds=61)
        self.assertWaits(self.sign_in("office"), 2)  # account: 2 minutes; address: 1 minute
        self.later(seconds=121)
        self.assertWaits(self.sign_in("board"), 2, address=True)  # address: its 7th failure


class BackoffTests(WorldTestCase):
    def test_the_wait_doubles_from_the_limit_up_to_the_longest(self):
        first, longest = dt.timedelta(minutes=1), dt.timedelta(minutes=60)
        waits = [backoff(failures, 5, first, longest) for failures in range(12)]
        minutes = [None if wait is None else wait.total_seconds() / 60 for wait in waits]
        self.assertEqual(minutes, [None] * 5 + [1, 2, 4, 8, 16, 32, 60])
        self.assertEqual(backoff(10_000, 5, first, longest), longest)
