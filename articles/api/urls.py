from django.urls import path

from articles.api import views

urlpatterns = [
    path("stories/", views.story_list, name="api-stories"),
    path("stories/<slug:slug>/", views.story_detail, name="api-story"),
    path("stories/<slug:slug>/revisions/", views.revision_list, name="api-revisions"),
    path("stories/<slug:slug>/revisions/<int:number>/", views.revision_detail, name="api-revision"),
    path(
        "stories/<slug:slug>/compare/<int:a>/<int:b>/", views.compare_revisions, name="api-compare"
    ),
    path("search/", views.search_stories, name="api-search"),
    path("openapi.json", views.openapi_document, name="api-openapi"),
    path("docs/", views.docs, name="api-docs"),
]
