"""HTTP is served on a thread pool, CSV exports by Django's ASGI handler (they stream), over one ASGI app."""
import pytest

from config import asgi


def test_exports_stream_through_the_asgi_handler_and_the_rest_runs_threaded():
    for path in ("/api/audit/export.csv", "/api/scheduler/export.csv", "/api/inventory/assets/export.csv"):
        assert asgi.http_app_for(path) is asgi.django_asgi_app, path
    for path in ("/api/auth/me/", "/api/inventory/assets/", "/", "/admin/"):
        assert asgi.http_app_for(path) is asgi.threaded_http, path


@pytest.mark.django_db(transaction=True)
def test_both_handlers_answer_on_the_one_app(live_site, make_user):
    import httpx
    from rest_framework_simplejwt.tokens import RefreshToken

    operator = make_user("operator")
    headers = {"Authorization": f"Bearer {RefreshToken.for_user(operator).access_token}"}
    me = httpx.get(f"{live_site}/api/auth/me/", headers=headers, timeout=10)
    assert me.status_code == 200 and me.json()["username"] == operator.username
    export = httpx.get(f"{live_site}/api/audit/export.csv", headers=headers, timeout=10)
    assert export.status_code == 200 and export.headers["content-type"] == "text/csv"
    assert export.text.splitlines()[0].startswith("id,at,")
