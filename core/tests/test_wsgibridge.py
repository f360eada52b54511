"""The WSGI bridge under the ASGI server: bodies in, answers out, small ones in one piece, long ones streamed."""
import asyncio
import json
import threading

import pytest

from core import wsgibridge
from core.wsgibridge import ThreadedWSGI


def echo(environ, start_response):
    """A WSGI app that answers what it was given."""
    body = environ["wsgi.input"].read()
    start_response("201 Created", [("Content-Type", "application/json"), ("Set-Cookie", "a=1"),
                                   ("Set-Cookie", "b=2")])
    return [json.dumps({
        "method": environ["REQUEST_METHOD"],
        "path": environ["PATH_INFO"].encode("latin-1").decode("utf-8"),
        "query": environ["QUERY_STRING"],
        "length": environ["CONTENT_LENGTH"],
        "read": len(body),
        "type": environ.get("CONTENT_TYPE"),
        "accept": environ.get("HTTP_ACCEPT"),
        "client": environ.get("REMOTE_ADDR"),
    }).encode()]


def scope(path="/", method="GET", query=b"", headers=()):
    return {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": query,
            "root_path": "", "scheme": "http", "http_version": "1.1", "headers": list(headers),
            "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000)}


def serve(app, request_scope, body_chunks=(b"",)):
    """Run one request through ``app``; the ASGI messages it sent."""
    sent = []

    async def run():
        pending = [{"type": "http.request", "body": chunk, "more_body": i < len(body_chunks) - 1}
                   for i, chunk in enumerate(body_chunks)]

        async def receive():
            return pending.pop(0) if pending else {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        await app(request_scope, receive, send)

    asyncio.run(run())
    return sent


def test_a_small_answer_goes_out_in_one_start_and_one_body():
    app = ThreadedWSGI(echo, workers=2)
    sent = serve(app, scope("/api/naïve/", "POST", b"a=1&b=%C3%A9",
                            [(b"content-type", b"application/json"), (b"accept", b"text/html"),
                             (b"accept", b"application/json")]), [b'{"x":', b" 1}"])
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["status"] == 201
    assert sent[0]["headers"].count((b"set-cookie", b"a=1")) == 1 and (b"set-cookie", b"b=2") in sent[0]["headers"]
    assert sent[1]["more_body"] is False
    answer = json.loads(sent[1]["body"])
    assert answer == {"method": "POST", "path": "/api/naïve/", "query": "a=1&b=%C3%A9", "length": "8", "read": 8,
                      "type": "application/json", "accept": "text/html,application/json", "client": "127.0.0.1"}


def test_a_large_upload_is_spooled_to_a_file_and_read_whole(monkeypatch):
    monkeypatch.setattr(wsgibridge, "SPOOLED_BYTES", 1000)
    chunks = [bytes([n]) * 700 for n in range(5)]
    sent = serve(ThreadedWSGI(echo, workers=1), scope(method="PUT"), chunks)
    answer = json.loads(sent[1]["body"])
    assert answer["length"] == "3500" and answer["read"] == 3500


def test_a_long_answer_streams_while_the_view_still_writes():
    first_chunk_sent = threading.Event()

    def download(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        yield b"x" * (wsgibridge.BUFFERED_BYTES + 1)
        # Only a bridge that passed the first part on already lets the app go on.
        assert first_chunk_sent.wait(5), "the first part was held back"
        yield b"y" * 10

    sent = []

    async def run():
        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)
            if message["type"] == "http.response.body" and message["body"]:
                first_chunk_sent.set()

        await ThreadedWSGI(download, workers=1)(scope(), receive, send)

    asyncio.run(run())
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 200
    bodies = [m for m in sent if m["type"] == "http.response.body"]
    assert len(bodies) == 2 and bodies[0]["more_body"] is True and bodies[-1]["more_body"] is False
    assert b"".join(m["body"] for m in bodies) == b"x" * (wsgibridge.BUFFERED_BYTES + 1) + b"y" * 10


def test_an_app_that_fails_before_answering_raises_to_the_server():
    def broken(environ, start_response):
        raise RuntimeError("view exploded")

    with pytest.raises(RuntimeError, match="view exploded"):
        serve(ThreadedWSGI(broken, workers=1), scope())
