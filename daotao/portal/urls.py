"""Public addresses in Vietnamese words: /tin-tuc/<category>/<article>/, /tim-kiem/, /rss/."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from daotao.portal import views
from daotao.portal.feeds import LatestArticlesFeed
from daotao.portal.sitemaps import SITEMAPS

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("tim-kiem/", views.search, name="search"),
    path("rss/", LatestArticlesFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("xem-truoc/<int:pk>/", views.preview, name="preview"),
    path("bien-tap/tu-bao-cao/", views.draft_from_report, name="draft_from_report"),
    path("tin-tuc/<slug:slug>/", views.category, name="category"),
    path("tin-tuc/<slug:category_slug>/<slug:slug>/", views.article, name="article"),
]
