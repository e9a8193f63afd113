"""Under /api/: every error is JSON `{"error": ..., "detail": ...}`, and CORS is open for GET.

Whatever fails under /api/ — a view's Http404 or ApiError, an unknown URL, a method other than
GET or HEAD, an exception (logged, then answered 500 without a traceback), Django's own 400s —
reaches the client as JSON with the right status, never as an HTML page. Any origin may GET:
the API is public and read-only, and answers carry no cookie and nothing of a session. A
preflight is answered for GET and HEAD with the conditional headers a client may send.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from http import HTTPStatus

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse

PREFIX = "/api/"
ALLOWED_METHODS = "GET, HEAD"
ALLOWED_HEADERS = "If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = "ETag, Last-Modified"
PREFLIGHT_MAX_AGE = 24 * 60 * 60

logger = logging.getLogger("django.request")


class ApiError(Exception):
    """An answer other than 200, with a one-line detail for the client."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def error_response(status: int, detail: str) -> HttpResponse:
    code = _phrase(status).lower().replace(" ", "_").replace("-", "_")
    body = json.dumps({"error": code, "detail": detail})
    response = HttpResponse(body, status=status, content_type="application/json")
    response["Cache-Control"] = "no-store" if status >= 500 else "public, max-age=5"
    return response


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        else:
            response = self.get_response(request)
            if response.status_code >= 400 and not _is_json(response):
                response = _as_json(response)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path_info.startswith(PREFIX):
            return None
        if isinstance(exception, ApiError):
            return error_response(exception.status, exception.detail)
        if isinstance(exception, Http404):
            return error_response(404, str(exception) or "Not found.")
        if isinstance(exception, PermissionDenied):
            return error_response(403, "Forbidden.")
        if isinstance(exception, SuspiciousOperation):
            return error_response(400, "Bad request.")
        logger.error("Internal error: %s", request.path, exc_info=exception)
        return error_response(500, "Internal error; it was logged.")


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _as_json(response: HttpResponse) -> HttpResponse:
    status = response.status_code
    details = {
        404: "No such URL in the API.",
        405: f"Only {ALLOWED_METHODS} are allowed.",
        500: "Internal error; it was logged.",
    }
    converted = error_response(status, details.get(status, _phrase(status) + "."))
    if "Allow" in response:
        converted["Allow"] = response["Allow"]
    return converted


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
