"""The school's identity: one row (``School``, primary key 1) and the signers of its
documents. Pages, documents, emails and the portal read it through ``identity.current()``,
never from here directly."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

THE_SCHOOL = 1  # the primary key of the one row


class DocumentStyle(models.TextChoices):
    PARTY = "party", _("Party body (Hướng dẫn 36-HD/VPTW)")
    STATE = "state", _("State body (Decree 30/2020/NĐ-CP)")


class DocumentKind(models.TextChoices):
    """The documents a signer may be set for; ``DEFAULT`` signs every kind without its own."""

    DEFAULT = "default", _("Every document")
    DIPLOMA = "diploma", _("Diploma")
    CERTIFICATE = "certificate", _("Certificate")
    CONFIRMATION = "confirmation", _("Confirmation of completion")
    RESULTS_PACK = "results_pack", _("Results pack")
    GRADUATION = "graduation", _("Graduation report and decision")
    SURVEY_RESULTS = "survey_results", _("Survey results")
    ANNUAL_REPORT = "annual_report", _("Annual report")
    QUOTA_TABLE = "quota_table", _("Quota table")


class School(models.Model):
    name = models.CharField(_("name of the school"), max_length=255, help_text=_("e.g. Trường Chính trị tỉnh Bình An"))
    parent = models.CharField(
        _("governing Party committee"), max_length=255, help_text=_("The body above the school, e.g. Tỉnh ủy Bình An.")
    )
    province = models.CharField(_("province"), max_length=128, help_text=_("e.g. Bình An"))
    place = models.CharField(
        _("place on documents"),
        max_length=128,
        blank=True,
        help_text=_("The place in the date line of documents (“Bình An, ngày …”); empty means the province."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    document_style = models.CharField(
        _("header of documents"), max_length=8, choices=DocumentStyle.choices, default=DocumentStyle.PARTY
    )
    document_code = models.CharField(
        _("abbreviation in document numbers"),
        max_length=16,
        default="TCT",
        help_text=_("As in “15-BC/TCT”."),
    )
    logo = models.BinaryField(_("logo"), null=True, blank=True, editable=False)
    logo_type = models.CharField(_("logo format"), max_length=32, blank=True, editable=False)
    logo_digest = models.CharField(max_length=16, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("school")
        constraints = [models.CheckConstraint(condition=Q(id=THE_SCHOOL), name="school_one_row")]

    def __str__(self) -> str:
        return self.name


class DocumentSigner(models.Model):
    """Who signs one kind of document: “HIỆU TRƯỞNG”, or on behalf of the principal
    (“KT. HIỆU TRƯỞNG / PHÓ HIỆU TRƯỞNG”) when ``deputy_title`` is set."""

    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices, unique=True)
    title = models.CharField(_("title of the head"), max_length=64, default="HIỆU TRƯỞNG")
    deputy_title = models.CharField(
        _("title of the deputy who signs"),
        max_length=64,
        blank=True,
        help_text=_("e.g. PHÓ HIỆU TRƯỞNG: the deputy signs on behalf of the head (KT.)."),
    )
    name = models.CharField(_("name of the signer"), max_length=128)

    class Meta:
        verbose_name = _("signer of documents")
        verbose_name_plural = _("signers of documents")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"
