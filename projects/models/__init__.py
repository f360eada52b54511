"""Projects, their tasks, teams, bills of materials and files."""
from .files import FileVersion, ProjectFile, ShareLink
from .projects import BomLine, Project, ProjectMember
from .tasks import Task, TaskComment, TaskLink, WorkLog
from .teams import Invitation, Team, TeamMembership

__all__ = [
    "BomLine", "FileVersion", "Invitation", "Project", "ProjectFile", "ProjectMember", "ShareLink", "Task",
    "TaskComment", "TaskLink", "Team", "TeamMembership", "WorkLog",
]
