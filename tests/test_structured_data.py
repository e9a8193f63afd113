"""The story page's schema.org LiveBlogPosting, read as JSON-LD: expanded by a JSON-LD processor
and checked against the schema.org types it claims."""

import json
import re
from datetime import datetime

import pytest
from pyld import jsonld

from articles.models import Story
from tests.conftest import article_text, at

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org/"

# schema.org's definitions, as far as we use them: the properties each type may carry (its own
# and those it inherits: LiveBlogPosting → BlogPosting → SocialMediaPosting → Article →
# CreativeWork → Thing), and the properties whose values are addresses.
THING = {"url", "name", "description"}
CREATIVE_WORK = THING | {"headline", "datePublished", "dateModified"}
PROPERTIES = {
    f"{SCHEMA}BlogPosting": CREATIVE_WORK,
    f"{SCHEMA}LiveBlogPosting": CREATIVE_WORK
    | {"coverageStartTime", "coverageEndTime", "liveBlogUpdate"},
}
ADDRESSES = {"url"}

# Offline, the context schema.org publishes reduces to its vocabulary and its address types.
SCHEMA_CONTEXT = {"@context": {"@vocab": SCHEMA, **{name: {"@type": "@id"} for name in ADDRESSES}}}


def load_document(url, options=None):
    assert url.rstrip("/") in {"https://schema.org", "http://schema.org"}, url
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_CONTEXT}


@pytest.fixture
def story(make_story, django_user_model) -> Story:
    story = make_story(*(article_text(drones=300 + n) for n in range(13)))
    story.revisions.get(number=12).retract(django_user_model.objects.create_user("desk"), "Wrong")
    return story


def structured_data(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def check(node: dict) -> None:
    """Every property is one the node's type has, every date a date, recursively."""
    (kind,) = node["@type"]
    allowed = PROPERTIES[kind]
    for key, values in node.items():
        if key.startswith("@"):
            continue
        name = key.removeprefix(SCHEMA)
        assert key.startswith(SCHEMA) and name in allowed, f"{name} is not a {kind} property"
        for value in values:
            if name in ADDRESSES:
                assert value["@id"].startswith("http://testserver/stories/")
            elif name == "liveBlogUpdate":
                check(value)
            elif name.startswith(("date", "coverage")):
                datetime.fromisoformat(value["@value"])


def test_the_story_page_describes_itself_as_a_live_blog_posting(client, story):
    html = client.get("/stories/port-tessaly-talks/").content.decode()
    data = structured_data(html)
    expanded = jsonld.expand(
        data,
        {"base": "http://testserver/stories/port-tessaly-talks/", "documentLoader": load_document},
    )
    (posting,) = expanded
    assert posting["@type"] == [f"{SCHEMA}LiveBlogPosting"]
    check(posting)
    assert data["coverageStartTime"] == at(0).isoformat() == data["datePublished"]
    assert data["dateModified"] == at(12).isoformat()
    assert "coverageEndTime" not in data  # a story never says it has stopped updating
    updates = data["liveBlogUpdate"]
    # The ten newest live revisions, newest first; the retracted 12 is not one of them.
    assert [u["url"].rsplit("/", 2)[-2] for u in updates] == [
        "13",
        *(str(n) for n in range(11, 2, -1)),
    ]
    assert updates[0]["url"] == "/stories/port-tessaly-talks/compare/11/13/"
    assert updates[0]["headline"] == "update 13"  # the editor's change note


def test_a_young_story_lists_its_first_report(client, make_story):
    make_story(article_text(), article_text(drones=333))
    data = structured_data(client.get("/stories/port-tessaly-talks/").content.decode())
    assert [u["headline"] for u in data["liveBlogUpdate"]] == ["update 2", "First report"]
    assert data["liveBlogUpdate"][1]["url"] == "/stories/port-tessaly-talks/revisions/1/"


def test_markup_in_an_upload_cannot_close_the_data_block(client, make_story):
    make_story(article_text(headline="Talks </script><script>alert(1)</script> resume"))
    html = client.get("/stories/port-tessaly-talks/").content.decode()
    data = structured_data(html)
    assert "</script><script>" in data["headline"]
    assert html.count("<script>alert(1)") == 0
