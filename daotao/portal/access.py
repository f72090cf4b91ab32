"""Who may do what on the portal: editors (and superusers) write; the training office may
turn a yearly report into a draft article."""

from __future__ import annotations

from daotao.accounts import roles
from daotao.accounts.access import is_training_office


def is_editor(user) -> bool:
    """Editors and superusers write articles and banners and preview drafts."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.has_role(roles.EDITOR)


def may_draft_from_report(user) -> bool:
    """The training office (and superusers) only: news about the school's year states the
    school's figures, not the part of them a locality coordinator sees; and the school board
    reads everything but changes nothing (docs/security.md), a draft article included."""
    return is_training_office(user)
