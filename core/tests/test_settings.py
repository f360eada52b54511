"""Production refuses unsafe settings; the deploy check is clean with safe ones."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_ENV")}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


def test_production_refuses_the_default_secret_key():
    result = run_manage("check", DJANGO_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = run_manage("check", DJANGO_ENV="production", SECRET_KEY="x" * 60, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_deploy_check_is_clean_in_production():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING",
                        DJANGO_ENV="production", SECRET_KEY="k3y-" + "Zq8#pL2@" * 8, ALLOWED_HOSTS="lab.example.org")
    assert result.returncode == 0, result.stdout + result.stderr
