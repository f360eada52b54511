"""Test helpers every app's tests use: the role × endpoint access matrix, and query counts.

Each app lists its endpoints in ``<app>/tests/access.py`` as ``ACCESS = [Row(...), ...]``;
``core/tests/test_access_matrix.py`` runs every row for every role. Adding an
endpoint to the matrix is adding a row, not writing a test.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

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


def count_queries(client, url):
    """Queries one GET runs, and its response, for a freshly loaded user (no role cached from an earlier request).

    List endpoints must run a fixed number of queries: tests compare this for one row and for many.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if getattr(client, "user", None) is not None:
        client.force_authenticate(type(client.user).objects.get(pk=client.user.pk))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries), response


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
