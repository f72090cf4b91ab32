"""Admin helpers shared by the apps: bounded search (the accent-folded one, which searches
people too, is ``people.admin_search``); per-user scoping; inlines without a query per row;
the site's upload limits."""

from __future__ import annotations

from django import forms
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
