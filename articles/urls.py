from django.urls import path

from articles import views

urlpatterns = [
    path("", views.story_list, name="home"),
    path("stories/<slug:slug>/", views.story_detail, name="story"),
    path("stories/<slug:slug>/revisions/", views.revision_list, name="revisions"),
    path("stories/<slug:slug>/revisions/<int:number>/", views.revision_detail, name="revision"),
]
