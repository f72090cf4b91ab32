"""Admin helpers shared by the apps: bounded search (the accent-folded one, which searches
people too, is ``people.admin_search``); per-user scoping; inlines without a query per row;
the site's upload limits; a user shown by name, not as a link."""

from __future__ import annotations

from types import MethodType

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms.models import BaseInlineFormSet

from daotao.lib.vietnamese import SEARCH_MAX_LENGTH
from daotao.web.uploads import MaxUploadSize


class BoundedSearchMixin:
    """Admin search reads at most ``SEARCH_MAX_LENGTH`` characters: Django makes each word a
    condition, and a few hundred words make SQLite refuse the query."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term[:SEARCH_MAX_LENGTH])


class ReadOnlyAdminMixin:
    """Records that only their own workflow writes (audited services, counters, the audit
    trail itself): the admin shows them and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UploadLimitsMixin:
    """The admin's file fields refuse a file over the site's limit for its kind, as the pages
    do: ``upload_limits`` maps a field to its setting (``daotao.web.uploads``)."""

    upload_limits: dict[str, str] = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name in self.upload_limits:
            formfield.validators.append(MaxUploadSize(self.upload_limits[db_field.name]))
        return formfield


class ScopedAdminMixin:
    """The admin lists only what the user may see, through the model's ``visible_to``."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class LoadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose selected option is labelled from ``selected_object``, the object
    its row already loaded; Django's own runs a query for it, once per inline row."""

    selected_object = None

    def optgroups(self, name, value, attr=None):
        chosen = self.selected_object
        if chosen is None or [str(v) for v in value if v] != [str(chosen.pk)]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(chosen)
        options.append(self.create_option(name, chosen.pk, label, True, len(options)))
        return [(None, options, 0)]


class LoadedAutocompleteForm(forms.ModelForm):
    """Hands each ``LoadedAutocompleteSelect`` the related object its row already holds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the admin's wrapper
            if isinstance(widget, LoadedAutocompleteSelect) and self.instance._meta.get_field(name).is_cached(
                self.instance
            ):
                widget.selected_object = getattr(self.instance, name)


class LoadedInlineFormSet(BaseInlineFormSet):
    """Each row gets the parent object itself, not only its id: a row's ``__str__`` that
    names the parent (shown on every row of a tabular inline) then needs no query."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        setattr(form.instance, self.fk.name, self.instance)
        return form


class LoadedAutocompleteInlineMixin:
    """An inline that costs no query per row: the rows are read with the objects of their
    ``autocomplete_fields`` (``select_related``), each row's widget is labelled from them,
    and each row holds its parent."""

    form = LoadedAutocompleteForm
    formset = LoadedInlineFormSet

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.get_autocomplete_fields(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", LoadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def user_shown(field: str, description):
    """A read-only display of the user in ``field`` by name, for ``readonly_fields``."""

    @admin.display(description=description)
    def shown(self, obj):
        user = getattr(obj, field, None)
        if user is None:
            return "-"
        return user.get_full_name() or user.get_username()

    return shown


SHOWN = "_shown"


class UsersByNameMixin:
    """Every relation of the record to a user account (who recorded, decided, sent...) is
    shown read-only, as the user's name.

    Django's admin shows a read-only relation as a link to the related record's page
    without asking whether the viewer may open it: the office and the editor, who may not
    open the accounts, would be shown links answering 403. The relation is left out of the
    form and ``<field>_shown`` displays the name in its place."""

    def _user_fields(self) -> list[str]:
        return [
            field.name
            for field in self.model._meta.fields
            if field.is_relation and field.related_model._meta.label == settings.AUTH_USER_MODEL
        ]

    def __getattr__(self, name):
        if name.endswith(SHOWN) and name[: -len(SHOWN)] in self._user_fields():
            field = name[: -len(SHOWN)]
            return MethodType(user_shown(field, self.model._meta.get_field(field).verbose_name), self)
        raise AttributeError(name)

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), *self._user_fields()]

    def get_fields(self, request, obj=None):
        users = self._user_fields()
        return [f"{name}{SHOWN}" if name in users else name for name in super().get_fields(request, obj)]

    def get_readonly_fields(self, request, obj=None):
        users = self._user_fields()
        names = [name for name in super().get_readonly_fields(request, obj) if name not in users]
        return [*names, *(f"{name}{SHOWN}" for name in users if f"{name}{SHOWN}" not in names)]
