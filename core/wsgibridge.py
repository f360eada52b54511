"""Django's WSGI handler served from an ASGI server on a fixed pool of threads, one hand-off per request.

A WSGI-to-ASGI bridge that passes every piece of the answer back to the event loop as it is
made (the status line, each body chunk, the end) makes the request's thread wait for the loop
three or more times; on a small API answer those waits cost more CPU than the view. Here the
request body is read on the event loop first (its size is already capped by
``core.gateway.RequestSizeLimit``), the view runs on a pool thread, and an answer of up to
``BUFFERED_BYTES`` comes back to the loop once, whole. A longer answer (a file download) is
passed on chunk by chunk, with the thread waiting while the client is slow, so it is never
held in memory whole.
"""
import asyncio
import contextvars
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

# A request body up to this size is kept in memory, a larger one (an upload) in a temporary file.
SPOOLED_BYTES = 1024 * 1024
# An answer up to this size is sent in one piece; API pages and HTML pages are well below it.
BUFFERED_BYTES = 256 * 1024


class ThreadedWSGI:
    """An ASGI app (HTTP only) that runs a WSGI app on ``workers`` threads."""

    def __init__(self, app, workers: int):
        self.app = app
        self.executor = ThreadPoolExecutor(thread_name_prefix="http", max_workers=workers)

    async def __call__(self, scope, receive, send):
        body = await read_body(receive)
        loop = asyncio.get_running_loop()
        answer = Answer(loop, send)
        context = contextvars.copy_context()
        with body:
            await loop.run_in_executor(self.executor, context.run, answer.run, self.app, wsgi_environ(scope, body))
        await answer.finish()


async def read_body(receive):
    """The whole request body (every ``http.request`` message until ``more_body`` is false), as a file.

    Small bodies stay in memory; an upload over ``SPOOLED_BYTES`` goes to a temporary file.
    """
    body = tempfile.SpooledTemporaryFile(max_size=SPOOLED_BYTES)
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away; the view sees what came
        body.write(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body.seek(0)
    return body


class Answer:
    """What the WSGI app answers, collected on its thread and sent on the event loop."""

    def __init__(self, loop, send):
        self.loop = loop
        self.send = send
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] = []
        self.size = 0
        self.streaming = False  # the start and the first chunks have already gone out

    def start_response(self, status: str, headers, exc_info=None):
        if exc_info is not None and self.streaming:
            raise exc_info[1].with_traceback(exc_info[2])  # too late to change the status: WSGI says re-raise
        self.status = int(status.split(" ", 1)[0])
        self.headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]
        return self.write

    def write(self, chunk: bytes) -> None:
        if not chunk:
            return
        self.chunks.append(chunk)
        self.size += len(chunk)
        if self.size > BUFFERED_BYTES:
            self.flush()

    def flush(self) -> None:
        """Send what is collected now, waiting for the loop (used only once an answer grows long)."""
        messages = []
        if not self.streaming:
            messages.append({"type": "http.response.start", "status": self.status, "headers": self.headers})
            self.streaming = True
        messages.append({"type": "http.response.body", "body": b"".join(self.chunks), "more_body": True})
        self.chunks, self.size = [], 0
        asyncio.run_coroutine_threadsafe(self.send_all(messages), self.loop).result()

    async def send_all(self, messages) -> None:
        for message in messages:
            await self.send(message)

    def run(self, app, environ) -> None:
        """Call the WSGI app and collect its answer (on a pool thread)."""
        iterable = app(environ, self.start_response)
        try:
            for chunk in iterable:
                self.write(chunk)
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()

    async def finish(self) -> None:
        """Send the rest of the answer on the event loop."""
        if not self.streaming:
            await self.send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await self.send({"type": "http.response.body", "body": b"".join(self.chunks), "more_body": False})


def body_length(body) -> int:
    """Bytes in a request body file positioned at its start."""
    size = body.seek(0, os.SEEK_END)
    body.seek(0)
    return size


def wsgi_environ(scope, body) -> dict:
    """The WSGI environ of an ASGI HTTP scope (PEP 3333), with the body already read."""
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode("utf-8").decode("latin-1"),
        "PATH_INFO": scope["path"].encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(body_length(body)),
    }
    server = scope.get("server") or ("localhost", 80)
    environ["SERVER_NAME"], environ["SERVER_PORT"] = server[0], str(server[1] if server[1] is not None else 80)
    client = scope.get("client")
    if client:
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = client[0], str(client[1])
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        if name == "CONTENT_TYPE":
            key = "CONTENT_TYPE"
        elif name == "CONTENT_LENGTH":
            continue  # the body is read whole: its real length is set above
        else:
            key = f"HTTP_{name}"
        if key in environ:  # a header sent twice: one value, as HTTP joins them (cookies with "; ")
            value = environ[key] + ("; " if key == "HTTP_COOKIE" else ",") + value
        environ[key] = value
    return environ
