from django.contrib.auth import views as auth_views
from django.urls import path

from articles import edit_views

urlpatterns = [
    # A signed-in editor following "Sign in" from a reader page (which cannot know who is
    # signed in) goes on to the desk.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("edit/", edit_views.desk, name="edit-home"),
    path("edit/new/", edit_views.new_story, name="edit-new"),
    path("stories/<slug:slug>/edit/", edit_views.edit_story, name="edit-story"),
    path("stories/<slug:slug>/edit/presence/", edit_views.edit_presence, name="edit-presence"),
    path(
        "stories/<slug:slug>/revisions/<int:number>/retract/",
        edit_views.retract,
        name="edit-retract",
    ),
]
