"""A local HTTP server that answers like an OpenAI-compatible API, for testing the openai providers.

It checks what a real server would refuse (key, model, file, JSON schema) and answers in the
API's shapes; ``answers`` lets a test say what the far side says, ``requests`` what it was sent.
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOpenAI:
    def __init__(self, key="test-key"):
        self.key = key
        self.requests: list[dict] = []
        self.transcription = {"text": "", "segments": [], "duration": 0.0, "language": "english"}
        self.minutes = {"summary": "", "decisions": [], "action_items": []}
        self.status = 200
        self.raw_content = None
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                owner.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if self.headers.get("Authorization") != f"Bearer {owner.key}":
                    return self._answer(401, {"error": {"message": "Incorrect API key provided."}})
                if owner.status != 200:
                    return self._answer(owner.status, {"error": {"message": "The server is overloaded."}})
                if self.path == "/v1/audio/transcriptions":
                    if b'name="file"' not in body or b'name="model"' not in body:
                        return self._answer(400, {"error": {"message": "file and model are required"}})
                    return self._answer(200, owner.transcription)
                if self.path == "/v1/chat/completions":
                    request = json.loads(body)
                    schema = request.get("response_format", {}).get("json_schema", {}).get("schema", {})
                    if not request.get("model") or set(schema.get("required", [])) != {
                            "summary", "decisions", "action_items"}:
                        return self._answer(400, {"error": {"message": "model and a minutes schema are required"}})
                    content = owner.raw_content if owner.raw_content is not None else json.dumps(owner.minutes)
                    return self._answer(200, {"id": "chatcmpl-1", "object": "chat.completion", "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]})
                return self._answer(404, {"error": {"message": "unknown path"}})

            def _answer(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
