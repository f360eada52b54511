"""Secrets kept at rest (device passwords, API keys of outside systems), sealed with a key derived from SECRET_KEY.

Fernet gives authenticated encryption: a sealed value cannot be read or altered without the
key. Rotating SECRET_KEY makes sealed values unreadable, so ``unseal`` says so plainly
instead of answering garbage.
"""
import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from .errors import RuleViolation


def _fernet(key: str | None) -> Fernet:
    digest = hashlib.sha256(b"benchtop-sealing:" + (key or settings.SECRET_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(text: str, *, key: str | None = None) -> str:
    """``text`` encrypted for storage (empty stays empty, so "no secret" needs no key).

    ``key`` is an app's own secrets key where it has one (``EQUIPMENT_SECRETS_KEY``); SECRET_KEY otherwise.
    """
    return _fernet(key).encrypt(text.encode()).decode() if text else ""


def unseal(token: str, *, key: str | None = None) -> str:
    """The text sealed in ``token``; RuleViolation when it was sealed under another key."""
    if not token:
        return ""
    try:
        return _fernet(key).decrypt(token.encode()).decode()
    except InvalidToken:
        raise RuleViolation("A stored secret cannot be read with the current key: enter it again.",
                            code="secret_unreadable")
