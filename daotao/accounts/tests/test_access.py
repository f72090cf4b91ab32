"""The one view decorator (``require``) and the role predicates it is built with."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from daotao.accounts.access import (
    any_of,
    is_agency,
    is_coordinator,
    is_lecturer,
    is_recorder,
    is_school_wide,
    is_staff,
    is_student,
    is_teaching_staff,
    is_training_office,
    require,
)
from daotao.testing import TeachingWorldTestCase


def page(request):
    return HttpResponse("ok")


class RequireTests(TeachingWorldTestCase):
    view = staticmethod(require(is_staff, may_post=is_training_office)(page))

    def call(self, method, user):
        request = getattr(RequestFactory(), method)("/page/?a=1")
        request.user = user
        return self.view(request)

    def test_anonymous_users_are_sent_to_sign_in(self):
        for method in ("get", "post"):
            with self.subTest(method):
                response = self.call(method, AnonymousUser())
                self.assertEqual(response.status_code, 302)
                self.assertEqual(response["Location"], "/accounts/login/?next=/page/%3Fa%3D1")

    def test_refused_users_get_403(self):
        for method in ("get", "post"):
            with self.subTest(method), self.assertRaises(PermissionDenied):
                self.call(method, self.lecturer_user)

    def test_readers_may_not_post(self):
        self.assertEqual(self.call("get", self.board).status_code, 200)
        with self.assertRaises(PermissionDenied):
            self.call("post", self.board)
        self.assertEqual(self.call("post", self.office).status_code, 200)

    def test_the_view_keeps_its_name(self):
        self.assertEqual(self.view.__name__, "page")


class PredicateTests(TeachingWorldTestCase):
    def test_each_persona(self):
        predicates = {
            "office": is_training_office,
            "school-wide": is_school_wide,
            "staff": is_staff,
            "coordinator": is_coordinator,
            "agency": is_agency,
            "lecturer": is_lecturer,
            "student": is_student,
            "teaching staff": is_teaching_staff,
            "recorder": is_recorder,
        }
        expected = {
            "root": {"office", "school-wide", "staff", "teaching staff", "recorder"},
            "office": {"office", "school-wide", "staff", "teaching staff", "recorder"},
            "board": {"school-wide", "staff", "teaching staff"},
            "coord1": {"staff", "coordinator", "teaching staff", "recorder"},
            "coord0": set(),  # a coordinator without a unit
            "gv1": {"lecturer", "teaching staff"},
            "hv1": {"student"},
            "nobody": set(),
        }
        users = {user.username: user for user in (self.superuser, self.office, self.board, self.coordinator)}
        users |= {user.username: user for user in (self.unscoped, self.lecturer_user, self.student_user, self.nobody)}
        for username, accepted in expected.items():
            with self.subTest(username):
                user = users[username]
                self.assertEqual({name for name, predicate in predicates.items() if predicate(user)}, accepted)
        self.assertFalse(any(predicate(AnonymousUser()) for predicate in predicates.values()))

    def test_any_of(self):
        either = any_of(is_lecturer, is_student)
        self.assertTrue(either(self.lecturer_user))
        self.assertTrue(either(self.student_user))
        self.assertFalse(either(self.board))
