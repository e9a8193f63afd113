"""Hypothesis profiles: CI (CI=true) runs the parser's property test with 10,000 examples;
a local run keeps to a few hundred so that `make test` stays quick. Tests that set their own
max_examples keep them in both."""

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

# An example slower than this is a failure: the parser must stay fast on any input, hostile
# markup included (a worker would otherwise time out on one upload).
EXAMPLE_DEADLINE = timedelta(seconds=1)

settings.register_profile(
    "ci",
    max_examples=10_000,
    deadline=EXAMPLE_DEADLINE,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=300, deadline=EXAMPLE_DEADLINE)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")
