"""Projects: tasks on a kanban board, teams, bills of materials and versioned files."""
from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects"

    def ready(self):
        from core import topics

        from .access import may_follow_project, may_follow_team

        topics.register("project", may_follow_project)
        topics.register("team", may_follow_team)
