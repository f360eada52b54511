"""Projects: registered now, filled by its own issue."""
from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
