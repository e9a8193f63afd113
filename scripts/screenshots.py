"""Screenshots for the README, made from the demo story in a throwaway SQLite database.

Run with `make screenshots`. Needs Debian's Chromium at /usr/bin/chromium.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
DEMO = ROOT / "articles" / "demo" / "valdoria-ceasefire"
PORT = int(os.environ.get("SCREENSHOTS_PORT", "8765"))  # another port on a shared machine
EDITOR, PASSWORD = "ada", "screenshots-only-lantern-42"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    database = Path(tempfile.mkdtemp()) / "screenshots.sqlite3"
    os.environ.update(DEBUG="1", DATABASE_URL=f"sqlite:///{database}", NEWSROOM_POLL_SECONDS="2")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    # Playwright's sync API runs an event loop in this thread; the ORM calls here stay sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from articles.models import Story

    call_command("migrate", verbosity=0)
    manifest = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    story = Story.objects.create(slug=manifest["slug"], headline=manifest["slug"])
    entries = manifest["revisions"]

    def publish(entry: dict) -> None:
        story.publish(
            (DEMO / entry["file"]).read_text(encoding="utf-8"),
            published_at=datetime.fromisoformat(entry["published_at"]),
            note=entry["note"],
            kind=entry["kind"],
        )

    for entry in entries[:-1]:
        publish(entry)
    from django.contrib.auth import get_user_model

    from articles.management.commands.createeditor import editors_group

    for name in (EDITOR, "ben"):
        user = get_user_model().objects.create_user(name, password=PASSWORD)
        user.groups.add(editors_group())
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_server()
        shoot(story.slug, lambda: publish(entries[-1]))
    finally:
        server.terminate()
        server.wait()


def wait_for_server() -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the development server did not start")


def shoot(slug: str, publish_latest) -> None:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{PORT}/stories/{slug}/"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1100, "height": 820})
        page.goto(base)
        page.evaluate("window.scrollTo(0, 420)")
        publish_latest()
        page.locator(".update-notice").wait_for(timeout=30_000)
        page.screenshot(path=OUT / "story-live-notice.png")
        phone = browser.new_page(viewport={"width": 360, "height": 740})
        phone.goto(base)
        phone.screenshot(path=OUT / "story-header-phone.png")
        phone.close()
        page.goto(base + "revisions/")
        page.screenshot(path=OUT / "timeline.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 1100})
        page.goto(base + "compare/2/3/?view=side")
        page.screenshot(path=OUT / "compare-side-by-side.png")
        page.set_viewport_size({"width": 1100, "height": 900})
        page.goto(base + "?view=origins")
        page.locator(".origins-legend").scroll_into_view_if_needed()
        page.screenshot(path=OUT / "story-origins.png")
        page.goto(base + "figures/")
        page.screenshot(path=OUT / "figures.png", full_page=True)
        shoot_desk(browser, base)
        browser.close()
    for path in sorted(OUT.glob("*.png")):
        print(f"wrote {path.relative_to(ROOT)}")


def sign_in(page, name: str) -> None:
    page.goto(f"http://127.0.0.1:{PORT}/accounts/login/")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def shoot_desk(browser, base: str) -> None:
    """The desk on deadline: a colleague has the story open; one figure is edited in place; the
    preview at 1280 px and on a phone."""
    colleague = browser.new_page()
    sign_in(colleague, "ben")
    colleague.goto(base + "edit/")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, EDITOR)
    page.goto(base + "edit/")
    text = page.locator("#id_text")
    text.fill(text.input_value().replace("over 510 drones", "over 525 drones"))
    # The edited figure selected and in view, as the editor leaves it.
    text.evaluate(
        """el => {
            const at = el.value.indexOf("525 drones");
            el.focus();
            el.setSelectionRange(at, at + 3);
            const lines = el.value.slice(0, at).split("\\n").length;
            const line = parseFloat(getComputedStyle(el).lineHeight) || 24;
            el.scrollTop = Math.max(0, (lines - 6) * line);
        }"""
    )
    page.screenshot(path=OUT / "desk-edit-in-place.png")
    page.get_by_role("button", name="Preview").click()
    page.get_by_label("Change note").fill("Updated drone count from the General Staff")
    page.screenshot(path=OUT / "desk-preview.png")
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=OUT / "desk-preview-phone.png")
    # SCREENSHOTS_FULL=DIR: the rest of the page in viewport-sized pieces, to look at while
    # working on it (not for the README).
    if pieces := os.environ.get("SCREENSHOTS_FULL"):
        for width, height in ((360, 800), (1280, 900)):
            page.set_viewport_size({"width": width, "height": height})
            total = page.evaluate("document.documentElement.scrollHeight")
            for n, top in enumerate(range(height, min(total, 6 * height), height)):
                clip = {"x": 0, "y": top, "width": width, "height": height}
                path = Path(pieces) / f"desk-{width}-{n}.png"
                page.screenshot(path=path, clip=clip, full_page=True)


if __name__ == "__main__":
    main()
