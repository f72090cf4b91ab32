"""Results of survey rounds (namespace surveys:)."""

urlpatterns: list = []
