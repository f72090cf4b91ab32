from django.conf import settings


def school(request):
    return {"school": settings.DAOTAO_SCHOOL}


def scope(request):
    """What the signed-in user may see, for the navigation (lazy: no query unless used)."""
    from django.utils.functional import SimpleLazyObject

    from daotao.accounts.scope import scope_of

    return {"nav_scope": SimpleLazyObject(lambda: scope_of(getattr(request, "user", None)))}
