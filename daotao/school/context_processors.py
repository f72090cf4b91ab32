from daotao.school import identity


def school(request):
    """``school`` in every template: the school's identity (``identity.current()``)."""
    return {"school": identity.current()}
