app_name = "essays"
urlpatterns = []
