"""Test helpers every app's tests use: the role × endpoint access matrix, list query counts, factories.

Each app lists its endpoints in ``<app>/tests/access.py`` as ``ACCESS = [Row(...), ...]``;
``core/tests/test_access_matrix.py`` runs every row for every role. Each app lists its list
endpoints in ``<app>/tests/lists.py`` as ``LISTS = [ListCase(...), ...]``;
``core/tests/test_list_queries.py`` checks each runs as many queries for many rows as for one.
Adding an endpoint to either is adding a row, not writing a test.
"""
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

import factory
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test.utils import CaptureQueriesContext

ROLES = ["anonymous", "viewer", "member", "operator", "admin"]


@dataclass
class Row:
    """One endpoint and the status each role gets.

    ``url`` and ``body`` may be callables taking the acting user (None for anonymous);
    they run inside the test's database, so they can create what the request needs.
    """

    method: str
    url: str | Callable
    expect: dict[str, int]
    body: dict | Callable | None = None
    name: str = field(default="")

    def __post_init__(self):
        missing = set(ROLES) - set(self.expect)
        if missing:
            raise ValueError(f"row {self.method} {self.url} lacks expectations for {sorted(missing)}")
        if not self.name:
            self.name = f"{self.method} {self.url if isinstance(self.url, str) else self.url.__name__}"


def allowed_from(role: str, ok: int = 200, denied: int = 403, anonymous: int = 401) -> dict[str, int]:
    """Expectations for an endpoint open to ``role`` and above."""
    rank = ROLES.index(role)
    return {
        name: (anonymous if name == "anonymous" else ok if ROLES.index(name) >= rank else denied)
        for name in ROLES
    }


def clear_cache() -> None:
    """Empty the cache between tests; with a per-worker key prefix (parallel runs on one Redis),
    only this worker's keys, since ``cache.clear()`` would flush every worker's counters."""
    cache = caches["default"]  # the backend itself: ``django.core.cache.cache`` is a proxy
    if isinstance(cache, RedisCache) and cache.key_prefix:
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


def count_queries(client, url):
    """Queries one GET runs, and its response, for a freshly loaded user (no role cached from an earlier request).

    List endpoints must run a fixed number of queries: tests compare this for one row and for many.
    """
    if getattr(client, "user", None) is not None:
        client.force_authenticate(type(client.user).objects.get(pk=client.user.pk))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries), response


@dataclass
class ListCase:
    """One list endpoint for the query-count table.

    ``add(user)`` creates one more row that ``user`` (of ``role``) sees in the list at ``url``
    (a string, or a callable taking the user, run after the first ``add``); the table adds one
    row, counts the queries, adds ``ListCase.MORE`` rows more and expects the same count.
    """

    url: str | Callable
    add: Callable
    role: str = "viewer"
    name: str = field(default="")

    MORE = 5

    def __post_init__(self):
        if not self.name:
            self.name = self.url if isinstance(self.url, str) else self.url.__name__


def app_test_modules(name: str):
    """``<app>.tests.<name>`` of every installed app that has one (``access``, ``lists``, ``factories``)."""
    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)):
            continue  # a library's app: its tests are not ours
        try:
            yield config, importlib.import_module(f"{config.name}.tests.{name}")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{config.name}.tests", f"{config.name}.tests.{name}"):
                raise  # the module exists but imports something missing: a real error


def factory_for(model):
    """The factory-boy factory for ``model`` from the apps' ``tests/factories.py`` (the first found).

    Generic tests (the admin list query counts) create rows of any registered model this way, so
    an app that registers a model in the admin adds a factory for it.
    """
    for _, module in app_test_modules("factories"):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory) \
                    and value._meta.model is model:
                return value
    raise LookupError(f"No factory for {model._meta.label}: add one to {model._meta.app_label}/tests/factories.py "
                      f"(or core/tests/factories.py for a library's model).")


def lean_list_unchanged(client, url, viewset) -> bytes:
    """Assert ``url`` answers the same bytes through ``viewset``'s lean list path and through its serializer.

    Returns the answer, so the test can also check that it lists what it should.
    """
    assert viewset.lean_list, f"{viewset.__name__} does not use the lean list path"
    lean = client.get(url, HTTP_ACCEPT="application/json")
    viewset.lean_list = False
    try:
        full = client.get(url, HTTP_ACCEPT="application/json")
    finally:
        viewset.lean_list = True
    assert lean.status_code == full.status_code == 200, lean.content[:500]
    assert lean.content == full.content
    return lean.content
