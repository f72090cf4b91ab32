"""The staff menu and the breadcrumbs: the one list of DaoTao's pages by group, what each
role sees of it, and which item a page belongs to.

The menu shows a user only the items whose page they may open (the same predicates the
pages' decorators use, ``accounts.access``), grouped as the school thinks of its work. A page
that is not itself in the menu belongs to the item that leads to it (a grade sheet to
"Classes", an application to "Nominations"): that item and its group are marked current, and
the breadcrumbs are the home page, the group and the item. A class's pages add the class
itself (``class_hub`` template tag).

``menu`` is a context processor (settings.TEMPLATES): it runs only when a template asks for
``menu`` (the value is lazy), with no query of its own beyond the user's scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from daotao.academy.access import is_academy, may_see_national
from daotao.accounts.access import (
    Predicate,
    any_of,
    has_scope,
    is_editor,
    is_lecturer,
    is_recorder,
    is_school_wide,
    is_signed_in,
    is_staff,
    is_student,
    is_teaching_staff,
    is_training_office,
)


def is_admin_user(user) -> bool:
    """Who has Django's admin: the superuser, the office and the editor (``is_staff``)."""
    return user.is_authenticated and user.is_active and user.is_staff


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    may_open: Predicate
    # The URL names of pages reached from this item ("namespace:" for a whole app).
    owns: tuple[str, ...] = ()

    def holds(self, url_name: str) -> bool:
        return url_name == self.url_name or any(
            url_name == owned or (owned.endswith(":") and url_name.startswith(owned)) for owned in self.owns
        )


@dataclass(frozen=True)
class Group:
    label: str
    items: tuple[Item, ...]


# The pages of one class, which belong to the class list (staff) or to a lecturer's schedule.
CLASS_PAGES = (
    "cohorts:",
    "teaching:cohort",
    "teaching:generate",
    "teaching:organisation",
    "teaching:lesson_edit",
    "teaching:attendance",
    "teaching:log",
    "teaching:observe",
    "teaching:field_trip_edit",
    "grading:cohort",
    "grading:sheet",
    "grading:cell_history",
    "grading:report",
    "grading:decide",
    "grading:decisions",
    "grading:entry",
    "essays:cohort",
    "essays:detail",
    "twoway:cohort",
    "surveys:results_round",
    "exams:",
    "finance:cohort",
    "finance:cohort_xlsx",
    "finance:budget_edit",
    "finance:budget_settle",
    "finance:fee_edit",
    "finance:payment_add",
    "finance:payment_void",
    "finance:receipt",
)

GROUPS: tuple[Group, ...] = (
    Group(
        _("Training"),
        (
            Item(_("Classes"), "cohorts:list", is_staff, CLASS_PAGES),
            Item(_("Students"), "people:students", is_staff, ("records:",)),
            Item(_("Training plans"), "planning:list", is_staff, ("planning:",)),
            Item(
                _("Diploma register"),
                "grading:register",
                is_staff,
                ("grading:credential", "grading:credential_reprint"),
            ),
            Item(
                _("Blank diploma forms"),
                "grading:blank_forms",
                is_training_office,
                ("grading:blank_forms_xlsx", "grading:blank_form_batches", "grading:blank_form_mark"),
            ),
            Item(_("Finance of classes"), "finance:year", is_school_wide),
            Item(_("My timetable"), "teaching:my", is_student),
            Item(_("My results"), "grading:my", is_student, ("records:",)),
            Item(_("My essay"), "essays:my", is_student),
            Item(_("My diplomas and certificates"), "grading:register", is_student, ("grading:credential",)),
        ),
    ),
    Group(
        _("Admissions"),
        (
            Item(_("Nominations"), "admissions:list", is_staff, ("admissions:",)),
            Item(_("Quota progress"), "admissions:quota", is_staff),
            Item(_("Placement in classes"), "admissions:placement", is_training_office),
            Item(_("Import nominations"), "admissions:import", is_recorder),
        ),
    ),
    Group(
        _("Teaching"),
        (
            Item(_("My schedule"), "teaching:my", is_lecturer, CLASS_PAGES),
            Item(_("Essays to supervise and grade"), "essays:assigned", is_lecturer, ("essays:",)),
            Item(_("My standard hours"), "workload:mine", is_lecturer),
            Item(_("School calendar"), "teaching:calendar", is_school_wide),
            Item(_("Teaching report"), "teaching:report", is_staff),
            Item(_("Lecturers' standard hours"), "workload:report", is_school_wide),
            Item(_("Absence warnings"), "alerts:list", is_teaching_staff, ("alerts:",)),
            Item(_("Topic bank"), "essays:issues", any_of(is_staff, is_lecturer, is_student)),
        ),
    ),
    Group(
        pgettext_lazy("menu", "Evaluation"),
        (
            Item(_("Evaluation results"), "surveys:results_list", is_teaching_staff, ("surveys:results_",)),
            Item(_("Evaluation coverage"), "surveys:coverage", is_staff),
            Item(_("Careers after training"), "surveys:outcome_list", is_staff, ("surveys:outcome_",)),
            Item(_("Careers: yearly report"), "surveys:outcome_report", is_staff, ("surveys:outcome_report_xlsx",)),
        ),
    ),
    Group(
        _("Reports"),
        (
            Item(_("National dashboard"), "academy:national", may_see_national, ("academy:",)),
            Item(_("The year at a glance"), "dashboards:board", is_school_wide, ("dashboards:",)),
            Item(_("Yearly report"), "reports:annual", is_staff, ("reports:",)),
            Item(_("Results sent back"), "twoway:list", is_staff, ("twoway:",)),
        ),
    ),
    Group(
        _("Portal"),
        (
            Item(_("Articles"), "admin:portal_article_changelist", is_editor, ("admin:portal_article_",)),
            Item(_("Banners"), "admin:portal_banner_changelist", is_editor, ("admin:portal_banner_",)),
            Item(_("Public portal"), "portal:home", any_of(has_scope, is_editor)),
        ),
    ),
    Group(
        _("Administration"),
        (
            Item(_("Setting up the school"), "onboarding:checklist", is_training_office, ("onboarding:",)),
            Item(_("Administration"), "admin:index", is_admin_user),
            Item(_("My account"), "profile", is_signed_in, ("password_change", "api_token_")),
        ),
    ),
)


# An Academy installation (DAOTAO_ROLE=academy) keeps no school's records: its menu holds
# the national dashboard, the administration and one's account, nothing of a school's work.
ACADEMY_ITEMS = frozenset({"academy:national", "admin:index", "profile"})


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class MenuGroup:
    label: str
    links: tuple[Link, ...]
    current: bool


@dataclass(frozen=True)
class Menu:
    groups: tuple[MenuGroup, ...]
    # The trail above the page: the home page, the group and the item it belongs to.
    breadcrumbs: tuple[Link, ...]


def build_menu(user, url_name: str | None) -> Menu:
    """The menu ``user`` sees on the page named ``url_name`` ("namespace:name"), with the
    item the page belongs to marked current, and the breadcrumbs to it."""
    if not user.is_authenticated:
        return Menu((), ())
    groups, trail = [], []
    seen_urls: set[str] = set()
    academy = is_academy()
    for group in GROUPS:
        links = []
        for item in group.items:
            if academy and item.url_name not in ACADEMY_ITEMS:
                continue
            if not item.may_open(user):
                continue
            url = reverse(item.url_name)
            if url in seen_urls:  # one page under two labels: the first (a student's register)
                continue
            seen_urls.add(url)
            current = url_name is not None and not trail and item.holds(url_name)
            links.append(Link(item.label, url, current))
            if current:
                trail = [Link(group.label, ""), Link(item.label, url, url_name == item.url_name)]
        if links:
            groups.append(MenuGroup(group.label, tuple(links), any(link.current for link in links)))
    breadcrumbs = (Link(_("Home"), reverse("home"), url_name == "home"), *trail) if url_name != "home" else ()
    return Menu(tuple(groups), tuple(breadcrumbs))


def menu(request):
    """The context processor: ``menu`` for the signed-in user and the page being shown."""

    def built() -> Menu:
        match = getattr(request, "resolver_match", None)
        return build_menu(request.user, match.view_name if match else None)

    return {"menu": SimpleLazyObject(built)}
