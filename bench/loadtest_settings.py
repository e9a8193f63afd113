"""The production settings, serving the load test's baseline view beside the site."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.loadtest_urls"
