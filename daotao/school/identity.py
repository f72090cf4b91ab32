"""The one place pages, documents, emails and the portal read the school's identity from.

``current()`` answers a frozen snapshot (``Identity``) kept in the process: it is read again
after ``DAOTAO_IDENTITY_TTL`` seconds (other processes' changes show within that time), and
at once in the process that saves a change (the model's signals, and again when its
transaction commits). Reading it therefore costs a page no query, except the first page of
each interval. The error pages never read the database: they use the last snapshot, or the
unnamed default.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from daotao.school.models import THE_SCHOOL, DocumentKind, DocumentSigner, DocumentStyle, School

DEFAULT_LOGO = "portal/logo.svg"  # DaoTao's own emblem, under the static files
DEFAULT_TITLE = "HIỆU TRƯỞNG"


@dataclass(frozen=True)
class Signer:
    title: str  # "HIỆU TRƯỞNG"
    name: str
    deputy_title: str = ""  # "PHÓ HIỆU TRƯỞNG": signs on behalf of the head

    @property
    def lines(self) -> list[str]:
        """The signature block's title lines: ["HIỆU TRƯỞNG"] or ["KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"]."""
        if self.deputy_title:
            return [f"KT. {self.title}", self.deputy_title]
        return [self.title]


@dataclass(frozen=True)
class Identity:
    name: str
    parent: str = ""
    province: str = ""
    place: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    document_style: str = DocumentStyle.PARTY
    document_code: str = "TCT"
    logo_digest: str = ""
    logo_type: str = ""
    configured: bool = False  # False: nobody has set the identity yet
    signers: dict[str, Signer] = field(default_factory=dict)

    @property
    def logo_url(self) -> str:
        if self.logo_digest:
            return reverse("school-logo", args=[self.logo_digest])
        return static(DEFAULT_LOGO)

    def signer(self, kind: str = DocumentKind.DEFAULT) -> Signer:
        """Who signs documents of ``kind``: its own signer, else the default one, else an
        unnamed head ("HIỆU TRƯỞNG")."""
        return self.signers.get(kind) or self.signers.get(DocumentKind.DEFAULT) or Signer(DEFAULT_TITLE, "")

    def __getitem__(self, key: str):
        # Documents written before the identity moved here read it as a mapping.
        return getattr(self, key)

    def get(self, key: str, default=None):
        return getattr(self, key, default)


def unnamed() -> Identity:
    """The identity before the school has set its own (a fresh database)."""
    return Identity(name=str(_("Political School")))


_lock = threading.Lock()
_kept: tuple[float, Identity] | None = None  # (read at, snapshot)
# Bumped by every ``forget``: a snapshot read before a change is not kept after it (another
# thread may have read the old row while the change was committing).
_generation = 0


def _ttl() -> float | None:
    return getattr(settings, "DAOTAO_IDENTITY_TTL", 60)


def load() -> Identity:
    """The identity as the database holds it now (two queries)."""
    school = School.objects.filter(pk=THE_SCHOOL).defer("logo").first()
    if school is None:
        return unnamed()
    signers = {s.kind: Signer(s.title, s.name, s.deputy_title) for s in DocumentSigner.objects.order_by()}
    return Identity(
        name=school.name,
        parent=school.parent,
        province=school.province,
        place=school.place or school.province,
        address=school.address,
        phone=school.phone,
        email=school.email,
        website=school.website,
        document_style=school.document_style,
        document_code=school.document_code,
        logo_digest=school.logo_digest,
        logo_type=school.logo_type,
        configured=True,
        signers=signers,
    )


def current(*, database_down: bool = False) -> Identity:
    """The school's identity, from the process's snapshot while it is fresh.

    ``database_down``: for the error pages; never query, use the last snapshot or the
    unnamed default."""
    global _kept
    kept = _kept
    ttl = _ttl()
    if kept is not None and (ttl is None or time.monotonic() - kept[0] < ttl):
        return kept[1]
    if database_down:
        return kept[1] if kept is not None else unnamed()
    generation = _generation
    identity = load()
    with _lock:
        if generation == _generation:
            _kept = (time.monotonic(), identity)
    return identity


def keep(value: Identity) -> None:
    """Make ``value`` the process's snapshot (tests that set an identity without a database)."""
    global _kept
    with _lock:
        _kept = (time.monotonic(), value)


def forget() -> None:
    """Read the identity again at the next ``current()`` (after a change)."""
    global _kept, _generation
    with _lock:
        _kept = None
        _generation += 1


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _changed(**kwargs) -> None:
    # At once for this thread's transaction, and again once it commits: a snapshot read by
    # another thread meanwhile holds the old row.
    forget()
    transaction.on_commit(forget)


def connect_signals() -> None:
    for model in (School, DocumentSigner):
        post_save.connect(_changed, sender=model, dispatch_uid=f"identity-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"identity-{model.__name__}-delete")
