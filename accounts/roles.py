"""Roles: admin, operator, member, viewer.

A role is a Django group with permissions; a user's role is the highest
group they are in (superusers are admins). Services ask ``has_role`` or
``require_role``; an API key caps its user at the key's role.
"""
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When

from core.errors import PermissionDenied

ADMIN, OPERATOR, MEMBER, VIEWER = "admin", "operator", "member", "viewer"
ROLES = [ADMIN, OPERATOR, MEMBER, VIEWER]
RANK = {VIEWER: 1, MEMBER: 2, OPERATOR: 3, ADMIN: 4}

# Apps whose models operators manage in the admin; admins get every permission.
OPERATOR_APPS = ["inventory", "scheduler", "projects", "equipment", "meetings", "workflows", "django_celery_beat"]
OPERATOR_EXTRA = ["core.view_auditentry", "core.view_event", "accounts.view_user", "accounts.view_apikey"]
# Members and viewers work through the API and pages, never the admin.


def _rank_of_user(user) -> int:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return 0
    if user.is_superuser:
        rank = RANK[ADMIN]
    else:
        names = getattr(user, "_role_names", None)
        if names is None:
            # groups.all() uses a prefetch when the list view made one (no query per row).
            names = {group.name for group in user.groups.all() if group.name in ROLES}
            user._role_names = names
        rank = max((RANK[name] for name in names), default=0)
    key = getattr(user, "api_key", None)
    if key is not None:
        rank = min(rank, RANK.get(key.role, 0))
    return rank


def highest_role_subquery(user_ref: str = "pk") -> Subquery:
    """An annotation: the name of the highest role group of the user at ``user_ref`` (or NULL).

    Authentication adds it to the one query that loads the user, so the role check that every
    request makes needs no second query for the user's groups.
    """
    rank = Case(*(When(name=name, then=Value(value)) for name, value in RANK.items()),
                default=Value(0), output_field=IntegerField())
    groups = Group.objects.filter(user=OuterRef(user_ref), name__in=ROLES).annotate(rank=rank)
    return Subquery(groups.order_by("-rank").values("name")[:1])


def remember_role(user, name: str | None) -> None:
    """Keep the role read with the user (``highest_role_subquery``) for this request's checks."""
    user._role_names = {name} if name else set()


def role_of(user) -> str | None:
    """The user's effective role, or None for anonymous users and users without one."""
    rank = _rank_of_user(user)
    return next((name for name, value in RANK.items() if value == rank), None)


def has_role(user, role: str) -> bool:
    """Whether ``user`` has ``role`` or a higher one."""
    return _rank_of_user(user) >= RANK[role]


def require_role(user, role: str, doing: str = "do that") -> None:
    """Raise PermissionDenied unless ``user`` has at least ``role``."""
    if not has_role(user, role):
        raise PermissionDenied(f"Only a {role} or above may {doing}.")


def role_permission_codes(role: str) -> set[str]:
    """The ``app_label.codename`` permissions a role's group carries."""
    qs = Permission.objects.select_related("content_type")
    if role == ADMIN:
        perms = qs.all()
    elif role == OPERATOR:
        perms = [p for p in qs.filter(content_type__app_label__in=OPERATOR_APPS)]
        extra = {tuple(code.split(".")) for code in OPERATOR_EXTRA}
        perms += [p for p in qs.all() if (p.content_type.app_label, p.codename) in extra]
    else:
        perms = []
    return {f"{p.content_type.app_label}.{p.codename}" for p in perms}


def role_has_perm(role: str, perm: str) -> bool:
    """Whether a role's group grants ``perm`` (used to cap API keys)."""
    if role == ADMIN:
        return True
    if role == OPERATOR:
        app_label = perm.split(".")[0]
        return app_label in OPERATOR_APPS or perm in OPERATOR_EXTRA
    return False


def sync_role_groups(app_config=None, **kwargs) -> None:
    """Create the four role groups and give them their permissions (runs after every migrate).

    post_migrate fires once per app that has models, in INSTALLED_APPS order; only the
    last one sees every app's permissions, so earlier calls from the signal are skipped.
    """
    with_models = [config for config in django_apps.get_app_configs() if config.models_module is not None]
    if app_config is not None and app_config is not with_models[-1]:
        return
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = role_permission_codes(role)
        perms = Permission.objects.select_related("content_type").all()
        group.permissions.set([p for p in perms if f"{p.content_type.app_label}.{p.codename}" in wanted])

