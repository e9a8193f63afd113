"""schemathesis, driven by the API's own OpenAPI document, against every endpoint: no 5xx, and
every answer (status, content type, headers, body) as the document says.

Generated slugs and numbers would almost never name a stored story, so half the cases are
pointed at the fixture's story and its revisions: both the found and the not-found answers are
checked. Examples are bounded so that the suite stays fast."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import article_text

# Per endpoint: enough to reach every branch of the fixture's story, and fast.
EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _paths() -> list[str]:
    from articles.api.openapi import document
    from articles.api.urls import urlpatterns  # noqa: F401  (registers the endpoints)

    return list(document()["paths"])


@pytest.fixture
def story(db, make_story, django_user_model):
    story = make_story(
        article_text(),
        article_text(drones=345, extra_bullet="A convoy of 12 trucks reached the port."),
        article_text(drones=360, closing="Talks resume on Monday in Lindqvar."),
    )
    editor = django_user_model.objects.create_user("ada", password="not-a-real-password-1")
    story.revisions.get(number=2).retract(editor, "Wrong convoy figure")
    return story


@pytest.fixture
def connection_kept_between_requests():
    """The WSGI handler closes the database connection when a request ends (Django's test
    client turns that off, as here): the test's transaction must outlive each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# (schemathesis' own pytest loader does not run under pytest 9: each operation's cases are
# drawn here with Hypothesis, from the operation's strategy.)
@pytest.mark.parametrize("path", _paths())
def test_every_endpoint_answers_as_its_schema_says(story, path, connection_kept_between_requests):
    from newsroom.wsgi import application

    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)[path]["GET"]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def answers_as_documented(case):
        parameters = case.path_parameters or {}
        if parameters and hash(repr(parameters)) % 2:
            parameters["slug"] = story.slug
            for name in ("number", "a", "b"):
                if isinstance(parameters.get(name), int):
                    parameters[name] %= 4  # 0 is not found, 2 retracted, 1 and 3 live
        # The WSGI client does not decompress: ask for the plain body (compression and its
        # ETags have tests of their own).
        case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})

    answers_as_documented()
