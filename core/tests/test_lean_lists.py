"""Every list in the apps' query-count tables (``<app>/tests/lists.py``) that takes the lean path answers the
same bytes as its serializer would; the lists of every app named in ``LEAN_APPS`` take it, and so do their extra
actions that list rows (``devices/<id>/maintenance/``, ``checkouts/overdue/``)."""
import pytest
from django.urls import resolve

from core.api.lean import LeanListMixin
from core.testing import app_test_modules, lean_list_unchanged

# Apps whose every list endpoint must answer through the lean path.
LEAN_APPS = {"core", "accounts", "scheduler", "inventory", "equipment", "projects", "meetings", "workflows",
             "workshop"}


def _cases():
    for config, module in app_test_modules("lists"):
        for case in module.LISTS:
            yield pytest.param(config.label, case, id=f"{config.label}:{case.name}")


def lean_viewset(url: str):
    """The viewset answering ``url`` when its ``list`` or the extra action listing there takes the lean path."""
    view = resolve(url.split("?")[0]).func
    viewset = getattr(view, "cls", None)
    action = (getattr(view, "actions", None) or {}).get("get")
    if viewset is None or not issubclass(viewset, LeanListMixin) or not viewset.lean_list:
        return None
    return viewset if action == "list" or action in viewset.lean_actions else None


@pytest.mark.django_db
@pytest.mark.parametrize(("app", "case"), list(_cases()))
def test_a_lean_list_answers_what_its_serializer_would(app, case, client_as):
    client = client_as(case.role)
    for _ in range(3):
        case.add(client.user)
    url = case.url(client.user) if callable(case.url) else case.url
    viewset = lean_viewset(url)
    view = resolve(url.split("?")[0]).func
    if app in LEAN_APPS and getattr(view, "actions", None):
        assert viewset is not None, f"{url} is a list of {app} and must answer through the lean path"
    if viewset is None:
        pytest.skip("not on the lean list path")
    lean_list_unchanged(client, url, viewset)
