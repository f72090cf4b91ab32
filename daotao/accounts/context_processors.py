from django.utils.functional import SimpleLazyObject

from daotao.accounts.scope import scope_of


def scope(request):
    """What the signed-in user may see, for the navigation (lazy: no query unless used)."""
    return {"nav_scope": SimpleLazyObject(lambda: scope_of(getattr(request, "user", None)))}
