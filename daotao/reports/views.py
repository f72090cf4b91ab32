from django.http import Http404

from daotao.accounts.access import staff_required


@staff_required
def annual(request):
    raise Http404  # being built: the yearly report page


@staff_required
def annual_download(request, year, fmt):
    raise Http404  # being built: .xlsx and .docx downloads
