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
    _isolate_parallel_worker(getattr(config, "workerinput", {}).get("workerid"))


def _isolate_parallel_worker(worker):
    """Under pytest-xdist (``make test``) workers run tests at the same time. pytest-django gives each
    worker its own test database (``test_<name>_gw0``, ...); here each also gets its own Redis keys and
    channel-layer groups, so one worker's cache clearing or broadcast never reaches another's test."""
    if not worker or not django_settings.REDIS_URL:
        return
    django_settings.CACHES["default"]["KEY_PREFIX"] = f"test-{worker}"
    layer = django_settings.CHANNEL_LAYERS["default"]
    if layer["BACKEND"] == "channels_redis.core.RedisChannelLayer":
        layer.setdefault("CONFIG", {})["prefix"] = f"asgi-{worker}"


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
    from core.testing import clear_cache

    clear_cache()
    yield
    clear_cache()


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


# --- Serving the site and driving it in Chromium ---------------------------------------------
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture
def live_site(transactional_db, settings):
    """Base URL of the whole ASGI app (HTTP and websockets) served by uvicorn in this process."""
    import socket
    import threading
    import time

    import uvicorn

    from config.asgi import application

    settings.ALLOWED_HOSTS = ["*"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def chromium_extra_args():
    """Flags a test module adds to Chromium's by overriding this fixture (a fake microphone playing a file)."""
    return []


@pytest.fixture
def browser_page(live_site, chromium_extra_args):
    """A Playwright page in Debian's headless Chromium; fails in CI when Chromium is missing."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + chromium_extra_args)
        context = browser.new_context(base_url=live_site)
        page = context.new_page()
        page.set_default_timeout(10000)
        yield page
        context.close()
        browser.close()
        # While Playwright's sync API is active the test's ORM calls get a connection of their
        # own (Django keeps connections per context); pytest-django's teardown does not see it,
        # so close it here or it outlives the test database.
        from django.db import connections

        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def login_in_browser(browser_page):
    """``login_in_browser(user)`` logs the page in through the login form."""
    from accounts.tests.factories import DEFAULT_PASSWORD

    def login(user, password=DEFAULT_PASSWORD):
        browser_page.goto("/accounts/login/")
        browser_page.fill("input[name=username]", user.username)
        browser_page.fill("input[name=password]", password)
        browser_page.click("button[type=submit]")
        browser_page.wait_for_url("**/")
        return browser_page

    return login


@pytest.fixture
def eager_retries():
    """Let eagerly run tasks retry in place, as a worker would (propagation stops at the first retry)."""
    from config.celery import app

    before = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = before
