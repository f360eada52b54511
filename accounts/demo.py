"""Demo users: one per role, with a password printed for the person starting the site."""
import os

from . import roles
from .models import User

DEMO_USERS = [
    ("admin", roles.ADMIN, "Ada Admin"),
    ("operator", roles.OPERATOR, "Otto Operator"),
    ("member", roles.MEMBER, "Mia Member"),
    ("viewer", roles.VIEWER, "Vic Viewer"),
]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD", "Benchtop-demo-2026!")


def seed(stdout):
    """Create the demo users once; later runs leave them (and changed passwords) alone."""
    from django.contrib.auth.models import Group

    password = demo_password()
    for username, role, name in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@benchtop.example", "display_name": name}
        )
        if created:
            user.set_password(password)
            user.is_superuser = role == roles.ADMIN
            user.is_staff = role in (roles.ADMIN, roles.OPERATOR)
            user.save()
            user.groups.add(Group.objects.get_or_create(name=role)[0])
            stdout.write(f"  demo {role:<8} login: {username:<9} password: {password}")
        else:
            stdout.write(f"  demo {role:<8} login: {username:<9} (exists; password unchanged)")


def get_demo_user(role: str) -> User:
    """The demo user for a role, for other apps' demo data."""
    return User.objects.get(username=dict((r, u) for u, r, _ in DEMO_USERS)[role])
