"""List endpoints of accounts for the query-count table (see core.testing.ListCase)."""
from core.testing import ListCase

from .factories import ApiKeyFactory, UserFactory

LISTS = [
    ListCase("/api/auth/users/", lambda user: UserFactory(role="member"), role="operator"),
    ListCase("/api/auth/api-keys/", lambda user: ApiKeyFactory(user=user), role="member"),
]
