"""Career outcomes of graduates (namespace surveys:)."""

urlpatterns: list = []
