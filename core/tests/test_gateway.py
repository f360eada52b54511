"""Checks before Django: oversized bodies refused unread, /metrics kept private, tokens kept out of logs."""
import logging
import socket
import time

import pytest
from asgiref.testing import ApplicationCommunicator

from config.asgi import application
from core.logredact import redact


def http_scope(path="/health", method="GET", headers=(), client=("127.0.0.1", 50000)):
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
            "headers": [(b"host", b"127.0.0.1"), *headers], "client": client, "server": ("127.0.0.1", 8000)}


async def response_of(communicator) -> tuple[int, bytes]:
    start = await communicator.receive_output(timeout=5)
    body = b""
    while True:
        message = await communicator.receive_output(timeout=5)
        body += message.get("body", b"")
        if not message.get("more_body"):
            return start["status"], body


@pytest.mark.django_db(transaction=True)
async def test_a_body_declared_larger_than_the_limit_is_refused_before_it_is_read():
    scope = http_scope("/api/inventory/assets/1/attachments/", "POST",
                       [(b"content-length", str(100 * 1024 * 1024).encode()),
                        (b"content-type", b"multipart/form-data; boundary=x")])
    communicator = ApplicationCommunicator(application, scope)
    # Nothing of the body is ever sent: an app that tried to read it would wait forever.
    status, body = await response_of(communicator)
    assert status == 413 and b"larger than 25 MB" in body


@pytest.mark.django_db(transaction=True)
async def test_a_body_without_a_length_is_read_only_up_to_the_limit(settings):
    settings.MAX_REQUEST_BYTES = 1000
    communicator = ApplicationCommunicator(application, http_scope("/api/auth/login/", "POST"))
    await communicator.send_input({"type": "http.request", "body": b"x" * 600, "more_body": True})
    await communicator.send_input({"type": "http.request", "body": b"x" * 600, "more_body": True})
    status, _ = await response_of(communicator)
    assert status == 413


@pytest.mark.django_db(transaction=True)
async def test_a_small_body_without_a_length_still_reaches_the_api():
    communicator = ApplicationCommunicator(application, http_scope(
        "/api/auth/login/", "POST", [(b"content-type", b"application/json")]))
    await communicator.send_input({"type": "http.request", "body": b'{"username": "nobody",', "more_body": True})
    await communicator.send_input({"type": "http.request", "body": b' "password": "x"}', "more_body": False})
    status, body = await response_of(communicator)
    assert status in (400, 401), body


@pytest.mark.parametrize(("client", "headers", "expected"), [
    (("127.0.0.1", 1), [], 200),
    (("::1", 1), [], 200),
    (("203.0.113.9", 1), [], 403),
    (("203.0.113.9", 1), [(b"authorization", b"Bearer wrong")], 403),
    (("203.0.113.9", 1), [(b"authorization", b"Bearer s3cret-metrics")], 200),
    # A loopback proxy that is trusted forwards an outside client: still outside.
    (("127.0.0.1", 1), [(b"x-forwarded-for", b"203.0.113.9")], 403),
], ids=["loopback", "loopback-v6", "outside", "wrong-token", "token", "through-proxy"])
@pytest.mark.django_db(transaction=True)
async def test_metrics_answer_loopback_and_the_token_holder_only(client, headers, expected, settings):
    settings.METRICS_TOKEN = "s3cret-metrics"
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    communicator = ApplicationCommunicator(application, http_scope("/metrics", headers=headers, client=client))
    await communicator.send_input({"type": "http.request", "body": b""})
    status, body = await response_of(communicator)
    assert status == expected
    if status == 200:
        assert b"django_http_requests_total_by_method_total" in body


def test_metrics_without_a_token_configured_stay_on_loopback(settings):
    from core.gateway import may_read_metrics

    settings.METRICS_TOKEN = ""
    outside = http_scope("/metrics", headers=[(b"authorization", b"Bearer ")], client=("198.51.100.1", 1))
    assert not may_read_metrics(outside)


def test_credentials_in_logged_paths_are_redacted(caplog):
    from core import logredact

    logredact.install()
    for name in ("uvicorn.error", "uvicorn.access"):  # uvicorn's loggers may not propagate to the root
        logging.getLogger(name).addHandler(caplog.handler)
        caplog.set_level(logging.INFO, logger=name)
    try:
        logging.getLogger("uvicorn.error").info('%s - "WebSocket %s" [accepted]', ("127.0.0.1", 5),
                                                "/ws/?token=eyJhbGciOi.secret.sig&x=1")
        logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET",
                                                 "/ws/?api_key=bt_live_123", "1.1", 101)
    finally:
        for name in ("uvicorn.error", "uvicorn.access"):
            logging.getLogger(name).removeHandler(caplog.handler)
    assert "secret" not in caplog.text and "bt_live_123" not in caplog.text
    assert "token=***&x=1" in caplog.text and "api_key=***" in caplog.text
    assert redact("/api/x/?page=2") == "/api/x/?page=2"


def test_a_real_server_refuses_a_100_mb_upload_at_once(live_site):
    """Through uvicorn: the answer comes before the client has sent a byte of the body."""
    host, port = live_site.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        started = time.monotonic()
        conn.sendall(b"POST /api/inventory/assets/1/attachments/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 104857600\r\n\r\n")
        answer = conn.recv(4096)
        assert time.monotonic() - started < 1
    assert answer.startswith(b"HTTP/1.1 413")
