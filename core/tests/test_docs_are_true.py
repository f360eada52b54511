"""Every environment variable the code reads is documented in .env.example and README.md."""
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
READ_PATTERNS = [
    re.compile(r"env\.(?:str|bool|int|list|db|email|float)\(\s*\"([A-Z][A-Z0-9_]+)\""),
    re.compile(r"os\.environ(?:\.get)?[\(\[]\s*\"([A-Z][A-Z0-9_]+)\""),
]
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "CI"}


def variables_read():
    found = set()
    for path in ROOT.rglob("*.py"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in READ_PATTERNS:
            found.update(pattern.findall(text))
    return found - NOT_SETTINGS


def test_every_variable_is_in_env_example_or_readme():
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in variables_read() if name not in readme)
    assert not missing, f"README.md does not explain: {missing}"
    settings_vars = {name for name in variables_read() if f'"{name}"' in (ROOT / "config/settings.py").read_text()}
    missing_example = sorted(name for name in settings_vars if f"{name}=" not in example)
    assert not missing_example, f".env.example does not list: {missing_example}"


def test_compose_has_the_full_stack_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name in ["web", "worker", "beat", "postgres", "redis", "mosquitto"]:
        assert name in services, name
    for name in ["web", "postgres", "redis"]:
        assert "healthcheck" in services[name], name
    assert "-Q" in services["worker"]["command"] and "default,hardware" in services["worker"]["command"]


def test_copying_env_example_to_env_changes_nothing():
    """Its lines are commented examples: a copy read as .env sets no variable (an empty one would)."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    assignments = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    assert assignments == [], f"uncommented in .env.example: {assignments}"
