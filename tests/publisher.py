"""A separate process that publishes to, or retracts from, one story: the concurrency and fault
tests start several. Run as `python -m tests.publisher` with DATABASE_URL set.

It prints "ready", waits for a line on stdin (so that every process starts at once), then one
JSON line per attempt: {"stored": n, "hash": h} once publish() has returned (the revision is
committed: acknowledged), {"refused": reason}, or {"error": message} for a database error
(the same text is then tried again).
"""

import argparse
import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import DatabaseError, connection  # noqa: E402

from articles.models import PublishRefused, RetractRefused, Story  # noqa: E402
from tests.conftest import article_text  # noqa: E402

SLUG = "port-tessaly-talks"


def say(**record) -> None:
    print(json.dumps(record), flush=True)


def publish(worker: int, count: int, pause: float, patience: float) -> None:
    """Publish `count` revisions; a database error is reported, then the same text is tried
    again (for up to `patience` seconds in all), as an editor would press Publish again."""
    story = Story.objects.get(slug=SLUG)
    deadline = time.monotonic() + patience
    attempt = 0
    while attempt < count and time.monotonic() < deadline:
        # Distinct texts: each process and attempt reports its own drone count.
        text = article_text(drones=100_000 + worker * 10_000 + attempt)
        try:
            revision = story.publish(text, note=f"process {worker}, publish {attempt + 1}")
        except PublishRefused as refusal:
            say(refused=str(refusal))
        except DatabaseError as error:
            say(error=str(error).strip().splitlines()[0])
            connection.close()  # the next try reconnects
            time.sleep(0.1)
            continue
        else:
            say(stored=revision.number, hash=revision.content_hash)
        attempt += 1
        time.sleep(pause)


def retract(count: int, pause: float) -> None:
    editor = get_user_model().objects.get(username="desk-retractor")
    story = Story.objects.get(slug=SLUG)
    for _ in range(count):
        time.sleep(pause)
        live = story.live_revision()
        if live is None:
            continue
        try:
            live.retract(editor, "Retracted by the concurrency test")
        except RetractRefused:
            say(already_retracted=live.number)  # another retractor was first
        else:
            say(retracted=live.number)


def setup() -> None:
    """The story (no revision yet) and the retracting editor, in a fresh database."""
    Story.objects.create(slug=SLUG, headline=SLUG)
    get_user_model().objects.create_user("desk-retractor")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["publish", "retract", "setup"])
    parser.add_argument("--worker", type=int, default=0)
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--pause", type=float, default=0.0)
    parser.add_argument("--patience", type=float, default=120.0)
    options = parser.parse_args()
    if options.action == "setup":
        setup()
        return
    print("ready", flush=True)
    sys.stdin.readline()
    if options.action == "publish":
        publish(options.worker, options.count, options.pause, options.patience)
    else:
        retract(options.count, options.pause)


if __name__ == "__main__":
    main()
