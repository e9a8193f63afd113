"""Uploads are text, never markup; forms need CSRF tokens; no inline script; deploy checks pass."""

import os
import re
import secrets
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.management.commands.createeditor import editors_group
from articles.models import Revision
from tests.conftest import article_text

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
EDIT = "/stories/port-tessaly-talks/edit/"
NOTE = 'Note <script>alert("note")</script> {{ request }}'

# Fictional coverage carrying the payloads as plain text: the parser keeps them as words.
TEXT_PAYLOAD = article_text(
    headline='Harbour talks <script>alert("headline")</script> in Port Tessaly',
    drones=460,
    extra_bullet='Crews saw <img src=x onerror=alert(1)>, <a href="javascript:alert(2)">map</a>',
    closing="Observers quoted {{ request }} and {% debug %} before the next round.",
)
# The same as a saved page: real tags the parser must drop, and escaped ones it keeps as text.
HTML_PAYLOAD = """<!doctype html><html><head><title>Harbour talks</title>
<script>alert("head")</script></head><body><article>
<h1 onmouseover="alert(3)">Harbour talks &lt;script&gt;alert("headline")&lt;/script&gt; resume</h1>
<p>Mediators in the fictional city of Port Tessaly met again <script>alert("body")</script>
on Saturday. <img src=x onerror=alert(1)></p>
<p><strong>The latest:</strong> Crews saw &lt;img src=x onerror=alert(1)&gt; and
<a href="javascript:alert(2)">a map</a> of the corridor.</p>
<p><strong>What to watch:</strong> Observers quoted {{ request }} and {% debug %} next.</p>
</article></body></html>"""


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor-ines", password="x")
    user.groups.add(editors_group())
    client.force_login(user)
    return client


def assert_inert(html: str) -> None:
    """No payload survives as markup or runs as a template."""
    assert "<script>alert" not in html
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.IGNORECASE)
    assert not re.search(r"""<[a-z][^>]*=\s*["']?\s*javascript:""", html, re.IGNORECASE)
    assert "WSGIRequest" not in html
    assert "sql_queries" not in html


def assert_shown_literally(html: str, escaped: str) -> None:
    assert escaped in html
    assert "{{ request }}" in html
    assert "{% debug %}" in html


def carried_text(preview_html: str) -> str:
    """The upload as the preview's hidden field will send it back."""
    found = re.search(r'<textarea name="raw_text"[^>]*>\n(.*?)</textarea>', preview_html, re.DOTALL)
    return unescape(found.group(1))


HEADLINE_ESCAPED = "&lt;script&gt;alert(&quot;headline&quot;)&lt;/script&gt;"


@pytest.mark.parametrize(
    ("name", "content"),
    [(None, TEXT_PAYLOAD), ("update.txt", TEXT_PAYLOAD), ("update.html", HTML_PAYLOAD)],
    ids=["pasted-text", "text-file", "html-file"],
)
def test_payloads_are_shown_escaped_everywhere(editor_client, client, make_story, name, content):
    make_story(article_text())
    if name:
        upload = {"file": SimpleUploadedFile(name, content.encode("utf-8"))}
    else:
        upload = {"text": content}
    preview = editor_client.post(EDIT, upload).content.decode()
    assert_inert(preview)
    assert_shown_literally(preview, HEADLINE_ESCAPED)
    assert carried_text(preview) == content

    data = {"step": "publish", "raw_text": carried_text(preview), "base_number": 1}
    # The short saved page removes most of the live text: the editor confirms it (wipe guard).
    data["allow_shrink"] = "on"
    response = editor_client.post(EDIT, {**data, "note": NOTE, "kind": "update"})
    assert response.status_code == 302
    for url in [
        "/stories/port-tessaly-talks/",
        "/stories/port-tessaly-talks/revisions/2/",
        "/stories/port-tessaly-talks/compare/1/2/",
    ]:
        html = client.get(url).content.decode()
        assert_inert(html)
        assert_shown_literally(html, HEADLINE_ESCAPED)
    for html in (
        client.get("/stories/port-tessaly-talks/revisions/").content.decode(),
        editor_client.get(EDIT).content.decode(),
    ):
        assert_inert(html)
        assert "Note &lt;script&gt;alert(&quot;note&quot;)&lt;/script&gt; {{ request }}" in html


def test_every_editor_form_needs_a_csrf_token(make_story, django_user_model):
    make_story(article_text())
    user = django_user_model.objects.create_user("editor-ines", password="x")
    user.groups.add(editors_group())
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    forms = [
        (EDIT, {"text": article_text(drones=460)}),
        ("/edit/new/", {"text": article_text()}),
        (EDIT, {"step": "publish", "raw_text": article_text(drones=460), "base_number": 1}),
        ("/stories/port-tessaly-talks/revisions/1/retract/", {"reason": "Error."}),
        ("/accounts/logout/", {}),
    ]
    for url, data in forms:
        assert client.post(url, data).status_code == 403, url
    assert Revision.objects.count() == 1
    # Every form posts its own token (no request is sent by htmx with a header token).
    page = client.get(EDIT).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(EDIT, {"text": article_text(drones=460), "csrfmiddlewaretoken": token})
    assert response.status_code == 200


def test_editor_pages_have_no_inline_script_and_a_strict_policy(editor_client, make_story):
    make_story(article_text())
    responses = [
        editor_client.get(url)
        for url in [
            "/edit/",
            "/edit/new/",
            EDIT,
            "/stories/port-tessaly-talks/revisions/1/retract/",
        ]
    ]
    responses.append(editor_client.post(EDIT, {"text": article_text(drones=460)}))
    responses.append(Client().get("/accounts/login/"))
    for response in responses:
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), response.request["PATH_INFO"]
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.IGNORECASE)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_check_deploy_is_clean():
    env = {k: v for k, v in os.environ.items() if k not in {"HTTPS", "DEBUG", "DATABASE_URL"}}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="example.org")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
