"""Accounts: users, roles, authentication and API keys."""
from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Imported here, once the app registry is ready: the checks and topics read models.
        from core import topics

        from . import roles, schema  # noqa: F401 - registers the OpenAPI extension
        from .access import may_follow_user

        # Without a sender: the groups are synced once every app's permissions exist (see the handler).
        post_migrate.connect(roles.sync_role_groups, dispatch_uid="benchtop-sync-role-groups")
        topics.register("user", may_follow_user)
