"""Users with a role (a Django group) and the unit that scopes what they see."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from daotao.accounts import roles


class User(AbstractUser):
    """An account. Its name is kept as Django keeps it, read the Vietnamese way:
    ``last_name`` holds the family and middle names ("Nguyễn Thị Thu"), ``first_name`` the
    given name ("Hằng"), and the full name puts the family first ("Nguyễn Thị Thu Hằng")."""

    unit = models.ForeignKey(
        "org.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("unit"),
        help_text=_("For a locality coordinator: the locality whose records the user sees (and every unit below it)."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        """Family and middle names, then the given name, as Vietnamese write a name."""
        return " ".join(part for part in (self.last_name.strip(), self.first_name.strip()) if part)

    def get_short_name(self) -> str:
        """The given name: how a Vietnamese colleague is addressed."""
        return self.first_name.strip()

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role: str) -> bool:
        return role in self.role_codes

    @property
    def role_labels(self) -> list[str]:
        return [str(roles.ROLE_LABELS[code]) for code in sorted(self.role_codes) if code in roles.ROLE_LABELS]


TOKEN_PREFIX = "dt_"


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def authenticate(self, key: str) -> User | None:
        """The active user owning this token, or None. Records when it was last used."""
        if not key.startswith(TOKEN_PREFIX):
            return None
        token = self.select_related("user").filter(key_hash=key_digest(key), user__is_active=True).first()
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            type(token).objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user


class ApiToken(models.Model):
    """A per-user API key for ``Authorization: Bearer ...``; only its hash is stored."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("beginning of the key"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """Create a token and return it with the key, which is shown this once only."""
        key = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=key_digest(key), prefix=key[:10])
        return token, key
