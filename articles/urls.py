from django.urls import path

from articles import feeds, views

urlpatterns = [
    path("", views.story_list, name="home"),
    path("updates/", views.site_updates, name="site-updates"),
    path("search/", views.search_page, name="search"),
    path("feeds/updates.atom", feeds.site_feed, name="site-feed"),
    path("stories/<slug:slug>/", views.story_detail, name="story"),
    path("stories/<slug:slug>/updates/", views.story_updates, name="story-updates"),
    path("stories/<slug:slug>/feed.atom", feeds.story_feed, name="story-feed"),
    path("stories/<slug:slug>/figures/", views.story_figures, name="figures"),
    path("stories/<slug:slug>/revisions/", views.revision_list, name="revisions"),
    path("stories/<slug:slug>/revisions/<int:number>/", views.revision_detail, name="revision"),
    path("stories/<slug:slug>/compare/", views.compare_pick, name="compare-pick"),
    path(
        "stories/<slug:slug>/compare/<int:old>/<int:new>/",
        views.compare_revisions,
        name="compare",
    ),
]
