"""Connection secrets (API keys, passwords) encrypted at rest.

Fernet (AES in CBC mode with an HMAC, from the ``cryptography`` package) with a key
derived from ``EQUIPMENT_SECRETS_KEY`` or, when that is empty, from ``SECRET_KEY``.
Changing the key makes stored secrets unreadable: they must be entered again.
"""
import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from core.errors import RuleViolation


def _fernet() -> Fernet:
    material = settings.EQUIPMENT_SECRETS_KEY or settings.SECRET_KEY
    digest = hashlib.sha256(("benchtop-equipment:" + material).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secrets: dict) -> str:
    """The encrypted form of a dict of secrets ('' for none)."""
    if not secrets:
        return ""
    return _fernet().encrypt(json.dumps(secrets, sort_keys=True).encode()).decode()


def unseal(token: str) -> dict:
    """The secrets in an encrypted token; RuleViolation when the key has changed since they were stored."""
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise RuleViolation("The machine's stored credentials cannot be read with the current key; "
                            "enter them again.") from exc
