from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from daotao.school import identity
from daotao.web import jobs


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: the school's logo."""
    return redirect(identity.current().logo_url)


@login_required
def job(request, job):
    """A background import's progress, then its outcome (``daotao.web.jobs``); the page
    polls the partial with HTMX while the job runs. Another user's job is not found."""
    state = jobs.state(request.user, job)
    if state is None:
        raise Http404
    total = state.get("total") or 0
    context = {"job": job, "state": state, "done_share": state.get("done", 0) / total if total else 0}
    if request.headers.get("HX-Request"):
        return render(request, "web/partials/job.html", context)
    return render(request, "web/job.html", context)
