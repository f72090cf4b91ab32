"""The JSON API under /api/v1/ (django-ninja); OpenAPI schema at /api/v1/openapi.json.

Only staff with a scope may call it, by session or ``Authorization: Bearer <key>``
(``daotao.api.auth``), but for ``verify/{code}``, the public check of a printed credential
(``daotao.api.verification``); every record comes through the models' ``visible_to(user)``;
every failure answers JSON (``daotao.api.errors``). Swagger UI stays off: it loads from a CDN.
"""

from django.http import Http404
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Router

from daotao.api import admissions, cohorts, errors, figures, grading, reports, students, verification
from daotao.api.auth import staff_auth


class DaoTaoAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts):
        # Name a bad list item by its parameter (``program``), as the other errors are.
        return errors.validation_error(error_contexts)

    @property
    def urls(self):
        # Ninja's own 405 (a method an address does not take) answers JSON too; the schema
        # is read with GET (ninja's view would answer any method).
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if pattern.name == "openapi-json":
                pattern.callback = require_safe(pattern.callback)
            pattern.callback = errors.answer_wrong_method_as_json(self, pattern.callback)
        return patterns, app_name, namespace


api = DaoTaoAPI(
    title="DaoTao API",
    version="1",
    description="Reports, class lists and student search of DaoTao, scoped to the caller's unit.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
    auth=staff_auth,
)
errors.install(api)
api.add_router("/reports", reports.router)
api.add_router("/cohorts", cohorts.router)
api.add_router("/students", students.router)
api.add_router("/admissions", admissions.router)
api.add_router("/grading", grading.router)
api.add_router("/figures", figures.router)
# Public: anyone checks a printed credential by its code (no token, no session).
api.add_router("/verify", verification.router)

# Last: any other address under /api/v1/ answers a JSON 404 rather than the HTML page.
unknown = Router(auth=None)
ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@unknown.api_operation(ANY_METHOD, "", include_in_schema=False)
def api_root(request):
    raise Http404


@unknown.api_operation(ANY_METHOD, "/{path:rest}", include_in_schema=False)
def unknown_address(request, rest: str):
    raise Http404


api.add_router("", unknown)
