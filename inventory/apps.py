"""Inventory app."""
from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = "Inventory"

    def ready(self):
        # Imported here, once the app registry is ready: the checks and topics read models.
        from core import topics

        from .access import may_follow_inventory, may_follow_object

        topics.register("inventory", may_follow_inventory)
        topics.register("asset", may_follow_object)
        topics.register("material", may_follow_object)
