app_name = "workload"
urlpatterns: list = []
