"""Who may do what on the portal: editors (and superusers) write; school-wide staff may turn
a yearly report into a draft article."""

from __future__ import annotations

from daotao.accounts import roles
from daotao.accounts.scope import scope_of


def is_editor(user) -> bool:
    """Editors and superusers write articles and banners and preview drafts."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.has_role(roles.EDITOR)


def may_draft_from_report(user) -> bool:
    """School-wide staff only: news about the school's year states the school's figures, not the
    part of them a locality coordinator sees."""
    return scope_of(user).everything
