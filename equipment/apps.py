"""Equipment: registered now, filled by its own issue."""
from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    name = "equipment"
