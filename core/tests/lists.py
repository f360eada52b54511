"""List endpoints of the platform for the query-count table (see core.testing.ListCase)."""
from core.testing import ListCase

from .factories import AuditEntryFactory

LISTS = [
    ListCase("/api/audit/", lambda user: AuditEntryFactory(), role="operator"),
]
