"""Workflows: registered now, filled by its own issue."""
from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
