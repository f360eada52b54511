"""Meetings: registered now, filled by its own issue."""
from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
