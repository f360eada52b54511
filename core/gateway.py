"""What the ASGI server checks before Django sees a request.

- ``RequestSizeLimit``: a body larger than ``MAX_REQUEST_BYTES`` is refused with 413 on its
  declared ``Content-Length`` before a byte of it is read; a body sent without a length
  (chunked) is read only up to the limit. Django itself would first read the whole body.
- ``MetricsGuard``: ``/metrics`` answers clients on loopback (as the proxy-aware
  ``core.context.client_ip`` sees them, so ``TRUSTED_PROXIES`` apply) and anyone presenting
  ``Authorization: Bearer <METRICS_TOKEN>``; everyone else gets 403.
"""
import hmac
import ipaddress
import json

from django.conf import settings

from .context import client_ip


async def _answer(send, status: int, code: str, detail: str) -> None:
    body = json.dumps({"error": code, "detail": detail, "fields": {}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class RequestSizeLimit:
    """Refuse request bodies over ``settings.MAX_REQUEST_BYTES`` without reading past the limit."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = settings.MAX_REQUEST_BYTES
        too_big = f"The request body is larger than {limit // (1024 * 1024)} MB."
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > limit:
                return await _answer(send, 413, "too_large", too_big)
            return await self.app(scope, receive, send)
        # No declared length: read up to the limit here, then hand Django what was read.
        messages, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            size += len(message.get("body", b""))
            if size > limit:
                return await _answer(send, 413, "too_large", too_big)
            messages.append(message)
            if not message.get("more_body"):
                break

        async def replay():
            return messages.pop(0) if messages else await receive()

        return await self.app(scope, replay, send)


def _is_loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def may_read_metrics(scope) -> bool:
    """Whether this request may read ``/metrics``: loopback clients, or the right bearer token."""
    token = settings.METRICS_TOKEN
    offered = _header(scope, b"authorization") or ""
    if token and offered.startswith("Bearer ") and hmac.compare_digest(offered[7:].strip(), token):
        return True
    client = scope.get("client") or (None, None)
    meta = {"REMOTE_ADDR": client[0] or "", "HTTP_X_FORWARDED_FOR": _header(scope, b"x-forwarded-for") or ""}
    return _is_loopback(client_ip(meta))


class MetricsGuard:
    """Keep ``/metrics`` to loopback and holders of ``METRICS_TOKEN``."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope.get("path", "").rstrip("/") == "/metrics" and not may_read_metrics(scope):
            return await _answer(send, 403, "forbidden",
                                 "Metrics are served on loopback, or with 'Authorization: Bearer <METRICS_TOKEN>'.")
        return await self.app(scope, receive, send)
