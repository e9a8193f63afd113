"""What an API library costs per request, against a plain Django JSON view, in the same run.

Run: .venv/bin/python bench/api_overhead.py  (part of `make bench`). Each contender serves the
same small JSON object for a path with a slug in it, through the project's whole middleware
stack (WSGIHandler, production settings over plain HTTP); the contenders take turns in rounds so
that the machine's load weighs on them alike. Printed: the median µs per request and the
overhead over the plain view. django-ninja and DRF are measured only when installed (they are
not dependencies: this is how the API's library was chosen, see README "The API").
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

REQUESTS_PER_ROUND = 1500
ROUNDS = 7
PAYLOAD = {"slug": "port-tessaly-talks", "headline": "Harbour talks stall", "revision_count": 3}


def _urlpatterns() -> tuple[list[Any], list[str]]:
    from django.http import JsonResponse
    from django.urls import path
    from django.views.decorators.http import require_safe

    @require_safe
    def plain(request, slug: str):
        return JsonResponse({**PAYLOAD, "slug": slug})

    patterns: list[Any] = [path("plain/<slug:slug>/", plain)]
    names = ["plain"]
    try:
        from ninja import NinjaAPI, Schema

        class StoryOut(Schema):
            slug: str
            headline: str
            revision_count: int

        api = NinjaAPI(urls_namespace="bench")

        @api.get("/ninja/{slug}/", response=StoryOut)
        def ninja_story(request, slug: str):
            return {**PAYLOAD, "slug": slug}

        patterns.append(path("", api.urls))
        names.append("ninja")
    except ImportError:
        print("django-ninja not installed: skipped")
    try:
        from rest_framework import serializers
        from rest_framework.decorators import (
            api_view,
            authentication_classes,
            permission_classes,
            renderer_classes,
        )
        from rest_framework.renderers import JSONRenderer
        from rest_framework.response import Response

        class StorySerializer(serializers.Serializer):
            slug = serializers.CharField()
            headline = serializers.CharField()
            revision_count = serializers.IntegerField()

        @api_view(["GET"])
        @renderer_classes([JSONRenderer])
        @authentication_classes([])
        @permission_classes([])
        def drf_story(request, slug: str):
            return Response(StorySerializer({**PAYLOAD, "slug": slug}).data)

        patterns.append(path("drf/<slug:slug>/", drf_story))
        names.append("drf")
    except ImportError:
        print("djangorestframework not installed: skipped")
    return patterns, names


urlpatterns: list[Any] = []


def main() -> None:
    global urlpatterns
    settings_overrides = {"ROOT_URLCONF": __name__}
    django.setup()
    for name, value in settings_overrides.items():
        setattr(settings, name, value)
    if "rest_framework" not in settings.INSTALLED_APPS:
        try:
            import rest_framework  # noqa: F401

            settings.REST_FRAMEWORK = {"UNAUTHENTICATED_USER": None}
        except ImportError:
            pass
    urlpatterns, names = _urlpatterns()
    sys.modules[__name__].urlpatterns = urlpatterns  # type: ignore[attr-defined]

    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    handler = WSGIHandler()
    factory = RequestFactory()

    def runner(name: str) -> Callable[[], float]:
        url = f"/{name}/port-tessaly-talks/"
        environ = factory.get(url).environ

        def start_response(status: str, headers: list[Any]) -> None:
            assert status.startswith("200"), (name, status)

        def run() -> float:
            started = time.perf_counter()
            for _ in range(REQUESTS_PER_ROUND):
                body = handler(dict(environ), start_response)
                b"".join(body)
            return (time.perf_counter() - started) / REQUESTS_PER_ROUND * 1e6

        return run

    runners = {name: runner(name) for name in names}
    for run in runners.values():
        run()  # warm-up
    times: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(ROUNDS):
        for name, run in runners.items():
            times[name].append(run())
    plain = statistics.median(times["plain"])
    print(f"{REQUESTS_PER_ROUND} requests × {ROUNDS} rounds, whole middleware stack, in turns")
    print(f"{'view':<8}{'µs/request':>12}{'overhead µs':>13}{'× plain':>9}")
    for name in names:
        median = statistics.median(times[name])
        print(f"{name:<8}{median:>12.1f}{median - plain:>13.1f}{median / plain:>9.2f}")


if __name__ == "__main__":
    main()
