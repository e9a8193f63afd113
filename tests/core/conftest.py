"""The domain core's tests need no Django: `pytest -p no:django tests/core` runs them alone
(tests/test_architecture.py checks that it does, with Django unimportable)."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The Django-side suite clears the cache around every test; the core has no cache."""
    yield
