"""Every role against every endpoint that an app lists in ``<app>/tests/access.py``."""
import importlib

import pytest
from django.apps import apps

from core.testing import ROLES


def _rows():
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tests.access")
        except ModuleNotFoundError:
            continue
        for row in module.ACCESS:
            for role in ROLES:
                yield pytest.param(row, role, id=f"{config.label}:{row.name}:{role}")


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), list(_rows()))
def test_role_gets_expected_status(row, role, client_as):
    client = client_as(role)
    user = getattr(client, "user", None)
    url = row.url(user) if callable(row.url) else row.url
    body = row.body(user) if callable(row.body) else row.body
    response = getattr(client, row.method.lower())(url, body, format="json")
    assert response.status_code == row.expect[role], (
        f"{role} {row.method} {url}: expected {row.expect[role]}, got {response.status_code}: "
        f"{getattr(response, 'data', response.content[:300])}"
    )
