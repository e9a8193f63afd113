import pytest

from tests.conftest import article_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_with_story(admin_client, make_story):
    make_story(article_text(), article_text(drones=330))
    return admin_client


@pytest.mark.parametrize("model", ["story", "revision"])
def test_admin_lists_stories_and_revisions(admin_client_with_story, model):
    response = admin_client_with_story.get(f"/admin/articles/{model}/")
    assert response.status_code == 200
    assert "Harbour talks in Port Tessaly" in response.content.decode()


@pytest.mark.parametrize("model", ["story", "revision"])
def test_admin_is_read_only(admin_client_with_story, model):
    from articles.models import Revision, Story

    obj = (Story if model == "story" else Revision).objects.first()
    assert admin_client_with_story.get(f"/admin/articles/{model}/add/").status_code == 403
    assert (
        admin_client_with_story.get(f"/admin/articles/{model}/{obj.pk}/delete/").status_code == 403
    )
    page = admin_client_with_story.get(f"/admin/articles/{model}/{obj.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
