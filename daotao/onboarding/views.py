"""The set-up pages: the checklist (with the button that installs the shipped catalogue)
and the school's identity."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from daotao.accounts.access import is_training_office, require
from daotao.onboarding import setup
from daotao.onboarding.checklist import checklist as checklist_steps
from daotao.school.logo import MAX_BYTES
from daotao.school.models import THE_SCHOOL, DocumentKind, DocumentSigner, School
from daotao.web.forms import add_service_errors


@require(is_training_office)
def checklist(request):
    if request.method == "POST":
        result = setup.catalogue_install()
        messages.success(request, " ".join(result.lines()))
        return redirect("onboarding:checklist")
    steps = checklist_steps()
    required = [step for step in steps if not step.optional]
    context = {"steps": steps, "done": sum(step.done for step in required), "total": len(required)}
    return render(request, "onboarding/checklist.html", context)


class IdentityForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    logo = forms.FileField(
        label=_("Logo"), required=False, help_text=_("PNG, JPEG or SVG, at most 1 MB; empty keeps the logo.")
    )
    remove_logo = forms.BooleanField(label=_("Use DaoTao's default logo"), required=False)

    class Meta:
        model = School
        fields = setup.IDENTITY_FIELDS


class SignerForm(forms.Form):
    title = forms.CharField(label=_("Title of the head"), max_length=64, required=False)
    deputy_title = forms.CharField(label=_("Title of the deputy who signs"), max_length=64, required=False)
    name = forms.CharField(label=_("Name of the signer"), max_length=128, required=False)


@require(is_training_office)
def identity(request):
    school = School.objects.filter(pk=THE_SCHOOL).defer("logo").first()
    on_record = {s.kind: s for s in DocumentSigner.objects.all()}
    data = request.POST if request.method == "POST" else None
    form = IdentityForm(data, request.FILES or None, instance=school)
    signer_forms = [
        (kind, label, SignerForm(data, prefix=kind, initial=_initial(on_record.get(kind))))
        for kind, label in DocumentKind.choices
    ]
    if data is not None and form.is_valid() and all(f.is_valid() for _k, _l, f in signer_forms):
        upload = form.cleaned_data["logo"]
        logo = upload.read(MAX_BYTES + 1) if upload else None
        values = {key: form.cleaned_data[key] for key in setup.IDENTITY_FIELDS}
        signers = {kind: f.cleaned_data for kind, _label, f in signer_forms if f.has_changed() or kind in on_record}
        try:
            setup.identity_save(
                user=request.user,
                values=values,
                signers=signers,
                logo=logo,
                remove_logo=form.cleaned_data["remove_logo"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The school's identity was saved."))
            return redirect("onboarding:checklist")
    return render(request, "onboarding/identity.html", {"form": form, "signer_forms": signer_forms})


def _initial(signer) -> dict:
    if signer is None:
        return {"title": "HIỆU TRƯỞNG"}
    return {"title": signer.title, "deputy_title": signer.deputy_title, "name": signer.name}
