"""Every change of projects state goes through these functions (API, admin, pages, commands)."""
from .projects import (
    add_member,
    archive_project,
    create_project,
    duplicate_project,
    remove_member,
    restore_project,
    update_project,
)
from .tasks import assign_task, bulk_update_tasks, create_task, delete_task, move_task, update_task

__all__ = [
    "add_member", "archive_project", "assign_task", "bulk_update_tasks", "create_project", "create_task",
    "delete_task", "duplicate_project", "move_task", "remove_member", "restore_project", "update_project",
    "update_task",
]
