"""Every change of projects state goes through these functions (API, admin, pages, commands)."""
from .bom import add_bom_line, allocate_bom_line, delete_bom_line, return_bom_line, update_bom_line
from .files import open_share, revoke_share, share_file, upload_file
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
from .teams import (
    accept_invitation,
    add_team_member,
    change_team_role,
    create_team,
    invite,
    remove_team_member,
    revoke_invitation,
    update_team,
)
from .work import add_comment, link_task, log_work, unlink_task

__all__ = [
    "accept_invitation", "add_bom_line", "add_comment", "add_member", "add_team_member", "allocate_bom_line",
    "archive_project", "assign_task", "bulk_update_tasks", "change_team_role", "create_project", "create_task",
    "create_team", "delete_bom_line", "delete_task", "duplicate_project", "invite", "link_task", "log_work",
    "move_task", "open_share", "remove_member", "remove_team_member", "restore_project", "return_bom_line",
    "revoke_invitation", "revoke_share", "share_file", "unlink_task", "update_bom_line", "update_project",
    "update_task", "update_team",
    "upload_file",
]
