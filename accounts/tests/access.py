"""Access rows for the accounts and platform endpoints (see core.testing)."""
from core.testing import Row, allowed_from

ACCESS = [
    Row("GET", "/api/auth/me/", allowed_from("viewer")),
    Row("GET", "/api/auth/api-keys/", allowed_from("viewer")),
    Row("GET", "/api/auth/users/", allowed_from("operator")),
    Row("GET", "/api/audit/", allowed_from("operator")),
    Row("GET", "/api/audit/export.csv", allowed_from("operator")),
    Row("POST", "/api/auth/password/reset/", {r: 200 for r in ["anonymous", "viewer", "member", "operator", "admin"]},
        body={"email": "nobody@example.org"}),
]
