"""The public portal: home, category lists, articles, search; editors' previews; a draft
article from the yearly report.

Every public page is counted (``counted_page``) and shows the category menu, the banners
active today and the visitor box (templates/base_portal.html).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from daotao.accounts.access import is_editor, may_draft_from_report, require
from daotao.accounts.scope import scope_of
from daotao.lib.vietnamese import SEARCH_MAX_LENGTH, search_words
from daotao.portal.counting import counted_page, record_article_view
from daotao.portal.models import Article, Banner, BannerPlacement, Category
from daotao.portal.services import article_draft_from_report
from daotao.reports.annual import annual_report
from daotao.reports.engine import ReportInputError
from daotao.reports.models import ReportTemplate
from daotao.reports.views import AnnualReportForm

PAGE_SIZE = 10
LATEST_ON_HOME = 8
FEATURED_ON_HOME = 5
PER_CATEGORY_ON_HOME = 4
RELATED_COUNT = 5


def _listed(articles):
    """Articles as lists show them: with their category (for the address), without the body."""
    return articles.select_related("category").defer("body", "search_key")


def _render(request, template: str, context: dict, categories: list[Category] | None = None):
    """A portal page with the category menu and today's banners (two queries)."""
    banners = list(Banner.objects.active())
    context = {
        "nav_categories": categories if categories is not None else list(Category.objects.all()),
        "top_banners": [banner for banner in banners if banner.placement == BannerPlacement.TOP],
        "sidebar_banners": [banner for banner in banners if banner.placement == BannerPlacement.SIDEBAR],
        "staff_pages": scope_of(request.user).staff,  # the link to them, for those who may open them
        **context,
    }
    return render(request, template, context)


def _page(request, articles):
    """The requested page of a list; a page that is not a number or does not exist is a 404."""
    try:
        return Paginator(articles, PAGE_SIZE).page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404 from error


@require_safe
@counted_page
def home(request):
    """Featured and latest news, and the newest (featured first) of each category."""
    categories = list(Category.objects.all())
    published = _listed(Article.objects.published())
    by_category = {category.pk: [] for category in categories}
    for article in published.top_per_category(PER_CATEGORY_ON_HOME).order_by("rank_in_category"):
        by_category[article.category_id].append(article)
    context = {
        "featured": list(published.filter(featured=True)[:FEATURED_ON_HOME]),
        "latest": list(published[:LATEST_ON_HOME]),
        "sections": [(category, by_category[category.pk]) for category in categories if by_category[category.pk]],
    }
    return _render(request, "portal/home.html", context, categories)


@require_safe
@counted_page
def category(request, slug):
    categories = list(Category.objects.all())
    current = next((category for category in categories if category.slug == slug), None)
    if current is None:
        raise Http404
    page = _page(request, _listed(Article.objects.published().filter(category=current)))
    return _render(request, "portal/category.html", {"category": current, "page": page}, categories)


@require_safe
@counted_page
def article(request, category_slug, slug):
    published = Article.objects.published().select_related("category", "author").prefetch_related("images")
    item = get_object_or_404(published, slug=slug)
    if item.category.slug != category_slug:  # the article moved to another category
        return redirect(item, permanent=True)
    item.view_count = record_article_view(request, item)
    related = _listed(Article.objects.published().filter(category=item.category_id).exclude(pk=item.pk))
    context = {"article": item, "related": list(related[:RELATED_COUNT])}
    return _render(request, "portal/article.html", context)


@require_safe
@counted_page
def search(request):
    """Words of the title, summary or body, ignoring case and diacritics."""
    query = request.GET.get("q", "")[:SEARCH_MAX_LENGTH].strip()
    page = None
    if search_words(query):
        page = _page(request, _listed(Article.objects.published().search(query)))
    return _render(request, "portal/search.html", {"query": query, "page": page, "query_max_length": SEARCH_MAX_LENGTH})


@require_safe
@never_cache
@require(is_editor)
def preview(request, pk):
    """An article as it will look, drafts and scheduled ones included: editors only, never cached."""
    item = get_object_or_404(Article.objects.select_related("category", "author").prefetch_related("images"), pk=pk)
    context = {"article": item, "related": [], "preview": True}
    return _render(request, "portal/article.html", context)


@require_POST
@require(may_draft_from_report)
def draft_from_report(request):
    """A draft article from the yearly report's summary paragraph; editors go on to finish it."""
    form = AnnualReportForm(request.POST, templates=list(ReportTemplate.objects.only("code", "name")))
    report_url = reverse("reports:annual")
    if not form.is_valid():
        messages.error(request, _("The draft could not be made: choose a valid year and report template."))
        return redirect(report_url)
    back = f"{report_url}?{urlencode({'year': form.cleaned_data['year'], 'template': form.cleaned_data['template']})}"
    try:
        report = annual_report(form.cleaned_data["year"], request.user, form.cleaned_data["template"])
        draft = article_draft_from_report(report=report, author=request.user)
    except ReportInputError as error:
        messages.error(request, error.message)
        return redirect(back)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if is_editor(request.user):
        return redirect("admin:portal_article_change", draft.pk)
    messages.success(
        request, _("The draft “%(title)s” is ready for an editor to finish and publish.") % {"title": draft.title}
    )
    return redirect(back)
