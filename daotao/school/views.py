from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from daotao.school.models import THE_SCHOOL, School

# Even an SVG that got past the checks cannot run anything when opened on its own.
LOGO_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


@require_GET
def logo(request, digest: str):
    """The school's logo. Its address names its digest, so it is cached for a year: a new
    logo has a new address."""
    school = School.objects.filter(pk=THE_SCHOOL, logo_digest=digest).only("logo", "logo_type").first()
    if school is None or not school.logo:
        raise Http404
    response = HttpResponse(bytes(school.logo), content_type=school.logo_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = LOGO_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response
