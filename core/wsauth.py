"""Turn a JWT or an API key sent over the websocket into a user.

Uses the REST API's own authentication classes, so a socket accepts
exactly the credentials the API accepts and no others.

A browser cannot set headers on a websocket, and a token in the URL ends in access logs;
so besides the first ``auth`` message a client may offer the subprotocols
``benchtop`` and ``bearer.<JWT>``: the server answers with ``benchtop``, never the token.
"""
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.settings import api_settings

SUBPROTOCOL = "benchtop"
TOKEN_SUBPROTOCOL_PREFIX = "bearer."


def token_from_subprotocols(subprotocols) -> str | None:
    """The JWT offered as a ``bearer.<JWT>`` subprotocol next to ``benchtop``, or None."""
    if SUBPROTOCOL not in subprotocols:
        return None
    for offered in subprotocols:
        if offered.startswith(TOKEN_SUBPROTOCOL_PREFIX):
            return offered[len(TOKEN_SUBPROTOCOL_PREFIX):]
    return None


class _HeaderRequest:
    """The least of a request that DRF's header authenticators read."""

    def __init__(self, header: str):
        self.META = {"HTTP_AUTHORIZATION": header}
        self.headers = {"authorization": header}
        self._request = self


def user_from_credentials(token: str | None = None, api_key: str | None = None):
    """The active user a JWT (``token``) or an API key belongs to, or None."""
    if token:
        header = token if " " in token else f"Bearer {token}"
    elif api_key:
        header = f"Api-Key {api_key}"
    else:
        return None
    request = _HeaderRequest(header)
    for auth_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        if auth_class.__name__ == "SessionAuthentication":
            continue
        try:
            result = auth_class().authenticate(request)
        except AuthenticationFailed:
            return None
        if result is not None:
            return result[0]
    return None
