"""The site's URLs plus /hello/: the load test's baseline, a view that does nothing behind the
same middleware, so every figure can be a ratio to it measured in the same run."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("hello/", hello), *site_urlpatterns]
