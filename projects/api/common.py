"""What the projects API views share: the project in the URL, resolved once and 404 when hidden."""
from functools import cached_property

from accounts.permissions import roles_required
from accounts.roles import VIEWER

from ..queries import get_project

# Anyone with a role gets as far as the project lookup (404 when they may not see it); what they
# may change there is decided by the services (403 for viewers, archived projects, non-managers).
ProjectAccess = roles_required(read=VIEWER, write=VIEWER)


class ProjectScoped:
    """A viewset mixin for routes under ``projects/<project_pk>/``."""

    permission_classes = [ProjectAccess]

    @cached_property
    def project(self):
        return get_project(self.request.user, self.kwargs.get("project_pk"))

    def check_permissions(self, request):
        super().check_permissions(request)
        if "project_pk" in self.kwargs:
            self.project  # noqa: B018 - resolve (or 404) before any handler runs


def ids(value) -> list[int]:
    """A list of ids from a comma-separated query parameter; non-ids are dropped."""
    from core.parsing import as_id

    return [n for n in (as_id(part) for part in (value or "").split(",")) if n]
