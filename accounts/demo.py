"""Demo users: one per role, with a password printed for the person starting the site."""
import os

from . import roles, services
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
    """Create the demo users once, through the account service; later runs leave them (and changed
    passwords) alone."""
    password = demo_password()
    for username, role, name in DEMO_USERS:
        if not User.objects.filter(username=username).exists():
            services.bootstrap_user(username=username, email=f"{username}@benchtop.example", password=password,
                                    display_name=name, role=role, superuser=role == roles.ADMIN)
            stdout.write(f"  demo {role:<8} login: {username:<9} password: {password}")
        else:
            stdout.write(f"  demo {role:<8} login: {username:<9} (exists; password unchanged)")


def get_demo_user(role: str) -> User:
    """The demo user for a role, for other apps' demo data."""
    return User.objects.get(username=dict((r, u) for u, r, _ in DEMO_USERS)[role])
