"""/healthz: can this app server answer readers? For load balancers and uptime checks."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the cache both answer, else 503 naming what failed. Reads no
    session and sets no cookie; never cached, so every check reaches the server."""
    checks = {"database": _database, "cache": _cache}
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception:
            logger.exception("health check failed: %s", name)
            results[name] = "failing"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(results, status=200 if healthy else 503)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    # A write and a read: a cache that accepts nothing (full, read-only replica) is failing too.
    cache.set("healthz", "ok", 30)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not return what was written")
