"""Turn a JWT or an API key sent over the websocket into a user.

Uses the REST API's own authentication classes, so a socket accepts
exactly the credentials the API accepts and no others.
"""
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.settings import api_settings


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
