"""Connection secrets (API keys, passwords) of machines, encrypted at rest.

A machine's secrets are one JSON object sealed by ``core.sealing`` (Fernet), under
``EQUIPMENT_SECRETS_KEY`` when it is set and ``SECRET_KEY`` otherwise. Changing the key makes
stored secrets unreadable: they must be entered again.
"""
import json

from django.conf import settings

from core import sealing


def seal(secrets: dict) -> str:
    """The encrypted form of a dict of secrets ('' for none)."""
    if not secrets:
        return ""
    return sealing.seal(json.dumps(secrets, sort_keys=True), key=settings.EQUIPMENT_SECRETS_KEY or None)


def unseal(token: str) -> dict:
    """The secrets in an encrypted token; RuleViolation when the key has changed since they were stored."""
    text = sealing.unseal(token, key=settings.EQUIPMENT_SECRETS_KEY or None)
    return json.loads(text) if text else {}
