"""Inventory app."""
from django.apps import AppConfig


def may_follow_inventory(user, arg) -> bool:
    """Topic ``inventory``: every user with a role (viewers read the inventory)."""
    from accounts.roles import VIEWER, has_role

    return arg is None and has_role(user, VIEWER)


def may_follow_object(user, arg) -> bool:
    """Topics ``asset:<id>`` and ``material:<id>``: every user with a role, for an id."""
    from accounts.roles import VIEWER, has_role
    from core.parsing import as_id

    return as_id(arg) is not None and has_role(user, VIEWER)


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = "Inventory"

    def ready(self):
        from core import topics

        topics.register("inventory", may_follow_inventory)
        topics.register("asset", may_follow_object)
        topics.register("material", may_follow_object)
