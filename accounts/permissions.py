"""DRF permissions built on roles.

A viewset names the least role for reading and for writing::

    permission_classes = [roles_required(read=MEMBER, write=OPERATOR)]

Object rules (ownership, membership) stay in the services.
"""
from rest_framework import permissions

from . import roles


class RolePermission(permissions.BasePermission):
    """Safe methods need ``read_role``; everything else needs ``write_role``."""

    read_role = roles.VIEWER
    write_role = roles.MEMBER

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        needed = self.read_role if request.method in permissions.SAFE_METHODS else self.write_role
        if not roles.has_role(user, needed):
            self.message = f"This needs the {needed} role or above."
            return False
        return True


def roles_required(read: str = roles.VIEWER, write: str = roles.MEMBER) -> type[RolePermission]:
    """A RolePermission class for the given read and write roles."""
    return type(f"Role_{read}_{write}", (RolePermission,), {"read_role": read, "write_role": write})


IsOperator = roles_required(read=roles.OPERATOR, write=roles.OPERATOR)
IsAdmin = roles_required(read=roles.ADMIN, write=roles.ADMIN)
