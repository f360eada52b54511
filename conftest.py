"""Fixtures shared by every app's tests: users by role, API clients, services."""
import os

import pytest
from django.conf import settings as django_settings

SERVICES = {
    "postgres": lambda: django_settings.IS_POSTGRES,
    "redis": lambda: bool(django_settings.REDIS_URL),
    "mqtt": lambda: bool(django_settings.MQTT_URL),
}


def pytest_configure(config):
    # A typo in a marker's service name should fail loudly, not skip quietly.
    config.addinivalue_line("markers", "full(*services): needs postgres, redis and/or mqtt")


def pytest_collection_modifyitems(config, items):
    """Skip full-mode tests whose services are not configured; in CI that is a failure instead."""
    require = os.environ.get("BENCHTOP_REQUIRE_SERVICES") == "1"
    for item in items:
        marker = item.get_closest_marker("full")
        if marker is None:
            continue
        wanted = marker.args or tuple(SERVICES)
        unknown = [name for name in wanted if name not in SERVICES]
        if unknown:
            raise pytest.UsageError(f"{item.nodeid}: unknown service(s) {unknown} in @pytest.mark.full")
        missing = [name for name in wanted if not SERVICES[name]()]
        if missing and not require:
            item.add_marker(pytest.mark.skip(reason=f"needs {', '.join(missing)} (run make test-full)"))
        elif missing:
            item.add_marker(pytest.mark.xfail(reason=f"{', '.join(missing)} not configured", strict=True,
                                              run=False))


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Fast password hashing (one test checks Argon2 itself), a clean cache and media per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(db):
    """``make_user(role="member", **fields)`` creates a user with that role."""
    from accounts.tests.factories import UserFactory

    def make(role="member", **fields):
        return UserFactory(role=role, **fields)

    return make


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def client_as(make_user):
    """``client_as("operator")`` gives an APIClient logged in as a new user of that role (None: anonymous)."""
    from rest_framework.test import APIClient

    def make(role, user=None):
        client = APIClient()
        if role in (None, "anonymous"):
            return client
        client.user = user or make_user(role)
        client.force_authenticate(client.user)
        return client

    return make


@pytest.fixture
def fresh_channel_layers():
    """Channel layers are cached per process; drop them so a test's settings take effect."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
