app_name = "twoway"

urlpatterns: list = []
