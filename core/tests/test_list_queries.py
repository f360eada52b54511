"""Every list endpoint an app names in ``<app>/tests/lists.py`` runs as many queries for many rows as for one."""
import pytest

from core.testing import ListCase, app_test_modules, count_queries


def _cases():
    for config, module in app_test_modules("lists"):
        for case in module.LISTS:
            yield pytest.param(case, id=f"{config.label}:{case.name}")


def _rows(response) -> int:
    data = response.data
    return len(data["results"] if isinstance(data, dict) else data)


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(_cases()))
def test_a_list_runs_as_many_queries_for_many_rows_as_for_one(case, client_as):
    client = client_as(case.role)
    case.add(client.user)
    url = case.url(client.user) if callable(case.url) else case.url
    one, first = count_queries(client, url)
    for _ in range(ListCase.MORE):
        case.add(client.user)
    many, response = count_queries(client, url)
    assert _rows(response) == _rows(first) + ListCase.MORE, "the rows added must show in the list"
    assert many == one, f"{url}: {one} queries for {_rows(first)} row(s), {many} for {_rows(response)}"
