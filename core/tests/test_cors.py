"""Browsers on the origins in ``CORS_ALLOWED_ORIGINS`` may call the API; with none listed, no CORS work is done."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PREFLIGHT = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
answers = {}
for origin in ("https://lab.example.org", "https://elsewhere.example.com"):
    answer = Client().options("/api/auth/me/", HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    answers[origin] = answer.headers.get("access-control-allow-origin")
print(json.dumps({"answers": answers, "cors": "corsheaders.middleware.CorsMiddleware" in settings.MIDDLEWARE}))
"""


def preflight(origins: str) -> dict:
    env = dict(os.environ, CORS_ALLOWED_ORIGINS=origins, DJANGO_SETTINGS_MODULE="config.settings")
    done = subprocess.run([sys.executable, "-c", PREFLIGHT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_listed_origin_is_allowed_and_another_is_not():
    found = preflight("https://lab.example.org")
    assert found["cors"]
    assert found["answers"] == {"https://lab.example.org": "https://lab.example.org",
                                "https://elsewhere.example.com": None}


def test_with_no_origin_listed_there_is_no_cors_middleware_and_no_origin_is_allowed():
    found = preflight("")
    assert not found["cors"]
    assert found["answers"] == {"https://lab.example.org": None, "https://elsewhere.example.com": None}
