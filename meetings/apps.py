"""Meetings: minutes, recordings, transcripts, analysis and action items."""
from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        from core import topics

        from .access import may_follow_meeting

        topics.register("meeting", may_follow_meeting)
