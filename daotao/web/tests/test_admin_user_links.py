"""No admin page shows a user account as a link its viewer may not follow.

Django's admin renders a read-only relation as a link to the related record's change page
without asking whether the viewer may open it; only superusers open the accounts, so the
office or the editor would be shown links answering 403 (the reachability crawl met them:
``daotao/dashboards/tests/test_reachability.py``). Every relation to a user that a page
shows read-only goes through ``web.adminutils.UsersByNameMixin``: the name, as text."""

from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory, TestCase

from daotao.accounts.models import ApiToken, User

# The accounts' own pages are the superuser's: there a user is a link that opens.
SUPERUSER_ONLY = {User, ApiToken}


def user_fields(model) -> set[str]:
    return {
        field.name
        for field in model._meta.fields
        if field.is_relation and field.related_model._meta.label == settings.AUTH_USER_MODEL
    }


class UserRelationsAreShownByNameTests(TestCase):
    def setUp(self):
        self.request = RequestFactory().get("/admin/")
        self.request.user = User(is_superuser=True, is_staff=True, is_active=True)

    def admins(self):
        for model, model_admin in admin.site._registry.items():
            if model in SUPERUSER_ONLY:
                continue
            yield model, model_admin
            for inline in model_admin.get_inline_instances(self.request):
                yield inline.model, inline

    def test_no_user_relation_is_rendered_read_only_as_a_link(self):
        checked = 0
        for model, model_admin in self.admins():
            users = user_fields(model)
            if not users:
                continue
            checked += 1
            with self.subTest(admin=type(model_admin).__name__):
                readonly = set(model_admin.get_readonly_fields(self.request, None))
                view_only = not model_admin.has_change_permission(self.request, None)
                shown = set(model_admin.get_fields(self.request, None))
                for name in users:
                    # Read-only (or on a view-only page), a relation is a link: the name instead.
                    if name in readonly or (view_only and name in shown):
                        self.fail(f"{model.__name__}.{name} is shown read-only as a link")
        self.assertGreaterEqual(checked, 10)

    def test_the_name_is_shown_as_text(self):
        from daotao.twoway.admin import ResultPackDispatchAdmin
        from daotao.twoway.models import ResultPackDispatch

        model_admin = ResultPackDispatchAdmin(ResultPackDispatch, admin.site)
        sender = User(username="lan", first_name="Lan", last_name="Trần Thị")
        dispatch = ResultPackDispatch(sent_by=sender)
        self.assertEqual(model_admin.sent_by_shown(dispatch), "Trần Thị Lan")
        self.assertEqual(model_admin.sent_by_shown(ResultPackDispatch()), "-")
