from django.core.paginator import Paginator
from django.shortcuts import render

from daotao.accounts.access import staff_required
from daotao.lib.vietnamese import SEARCH_MAX_LENGTH
from daotao.people.models import Student
from daotao.people.search import national_id_search_refused

PAGE_SIZE = 50


@staff_required
def student_list(request):
    """Students in Vietnamese name order; the search ignores case and diacritics and lists
    the best matches first (``search.ranked``). National IDs and dates of birth are masked
    for those who may not see them; they cannot search by national ID either (``privacy``)."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    students = Student.objects.visible_to(request.user).search(query, request.user).select_related("locality", "agency")
    page = Paginator(students.ranked(query), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "query_max_length": SEARCH_MAX_LENGTH,
        "national_id_search_refused": national_id_search_refused(query, request.user),
    }
    return render(request, "people/student_list.html", context)
