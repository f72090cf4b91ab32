"""The board's and the office's year at a glance (namespace ``dashboards:``), under /staff/dashboard/."""

from django.urls import path

from daotao.dashboards import board_views

app_name = "dashboards"

urlpatterns = [
    path("", board_views.board_home, name="board"),
    path("<int:year>/<slug:chart>.xlsx", board_views.board_xlsx, name="board_xlsx"),
]
