"""Tells drf-spectacular how API-key and bearer-token authentication look in the OpenAPI schema."""
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Api-Key <key>`: a key issued at /api/auth/api-keys/."}


class BearerTokenScheme(SimpleJWTScheme):
    """Our JWT authentication (simplejwt's, reading the role with the user) documents as simplejwt's does."""

    target_class = "accounts.authentication.JWTAuthentication"
