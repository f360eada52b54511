"""Workflows app: workflows, runs, agents, suggestions, triggers and the one timeline."""
from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Workflows"

    def ready(self):
        from core import events, topics

        from . import adapters
        from .access import may_follow_agents, may_follow_run, may_follow_timeline, may_follow_workflow
        from .services.triggers import on_committed_events

        topics.register("workflows", may_follow_timeline)
        topics.register("workflow", may_follow_workflow)
        topics.register("run", may_follow_run)
        topics.register("agents", may_follow_agents)
        events.add_listener(on_committed_events)
        events.add_listener(adapters.on_committed_events)
