"""Equipment app: machines, drivers, the gateway, jobs, telemetry and safety."""
from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    name = "equipment"
    verbose_name = "Equipment"

    def ready(self):
        from core import topics

        from .access import may_follow_equipment, may_follow_machine

        topics.register("equipment", may_follow_equipment)
        topics.register("machine", may_follow_machine)
