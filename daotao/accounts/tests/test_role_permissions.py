"""Each role's group holds exactly the admin permissions of ``role_permissions.py`` on a new
installation, and no model in the admin is forgotten there."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import TestCase

from daotao.accounts import roles
from daotao.accounts.role_permissions import ROLE_PERMISSIONS, SUPERUSER_ONLY, codenames


class RolePermissionTests(TestCase):
    def test_every_role_is_a_group_with_exactly_its_permissions(self):
        self.assertEqual(set(ROLE_PERMISSIONS), set(roles.ROLE_LABELS))
        for role in ROLE_PERMISSIONS:
            with self.subTest(role=role):
                group = Group.objects.get(name=role)
                granted = set(group.permissions.values_list("content_type__app_label", "codename"))
                self.assertEqual(granted, codenames(role))

    def test_every_admin_model_belongs_to_a_role_or_to_the_administrator(self):
        shipped = {model for per_role in ROLE_PERMISSIONS.values() for model in per_role}
        for model in admin.site._registry:
            label = f"{model._meta.app_label}.{model._meta.model_name}"
            with self.subTest(model=label):
                self.assertTrue(label in shipped or label in SUPERUSER_ONLY)
                self.assertFalse(label in shipped and label in SUPERUSER_ONLY)

    def test_inlines_have_the_permissions_of_their_page(self):
        """An inline on an admin page a role may change needs its own permissions too."""
        for role, per_model in ROLE_PERMISSIONS.items():
            for model, model_admin in admin.site._registry.items():
                label = f"{model._meta.app_label}.{model._meta.model_name}"
                if "change" not in per_model.get(label, ()):
                    continue
                for inline in model_admin.inlines:
                    inline_label = f"{inline.model._meta.app_label}.{inline.model._meta.model_name}"
                    with self.subTest(role=role, page=label, inline=inline_label):
                        self.assertIn("view", per_model.get(inline_label, ()))


class RoleAdminTests(TestCase):
    """The administrator gives a user a role and a scope in the admin, reading role names
    as the school says them."""

    def test_user_pages_name_the_roles(self):
        from daotao.testing import make_unit, make_user

        root = make_user("root", is_superuser=True, is_staff=True)
        locality = make_unit("H01", "Thành phố Bình An", "district")
        coordinator = make_user("coord1", roles.LOCALITY_COORDINATOR, locality)
        self.client.force_login(root)
        page = self.client.get("/admin/accounts/user/")
        self.assertContains(page, "Cán bộ điều phối địa phương (locality_coordinator)")
        form = self.client.get(f"/admin/accounts/user/{coordinator.pk}/change/")
        self.assertContains(form, "Phòng Quản lý đào tạo (training_office)")
        self.assertContains(form, "Thành phố Bình An")
        groups = self.client.get("/admin/auth/group/")
        self.assertContains(groups, "Biên tập viên")
