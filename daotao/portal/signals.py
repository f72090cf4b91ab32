"""Editors work in the admin, so being given the editor role makes a user staff."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from daotao.accounts import roles


def editors_are_staff(sender, instance, action, reverse, pk_set, **kwargs):
    """``m2m_changed`` of User.groups, from either side (user.groups.add or group.user_set.add)."""
    if action != "post_add" or not pk_set:
        return
    User = get_user_model()
    if reverse:  # instance is the group, pk_set the users
        if instance.name == roles.EDITOR:
            User.objects.filter(pk__in=pk_set, is_staff=False).update(is_staff=True)
    elif Group.objects.filter(pk__in=pk_set, name=roles.EDITOR).exists() and not instance.is_staff:
        instance.is_staff = True
        User.objects.filter(pk=instance.pk).update(is_staff=True)
