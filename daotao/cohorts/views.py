from django.http import Http404

from daotao.accounts.access import office_required, staff_required


@staff_required
def cohort_list(request):
    raise Http404  # being built


@staff_required
def cohort_detail(request, code):
    raise Http404  # being built


@office_required
def cohort_import(request):
    raise Http404  # being built


@staff_required
def import_template(request):
    raise Http404  # being built
