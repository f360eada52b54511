"""Event types the projects app publishes on the bus.

Every project event goes to ``project:<id>``, which only those who may see the project can
follow (see ``access``); ``data`` always names the ``project``. Team events go to ``team:<id>``.
"""

PROJECT_CREATED = "project.created"
"""A project was created; ``data`` has its name, owner and team."""

PROJECT_UPDATED = "project.updated"
"""A project's fields changed; ``data.changes`` maps each field to ``[old, new]``."""

PROJECT_ARCHIVED = "project.archived"
"""A project was archived: it is read-only until restored."""

PROJECT_RESTORED = "project.restored"
"""An archived project was restored to the status it had before."""

PROJECT_DUPLICATED = "project.duplicated"
"""A copy of this project (tasks and BOM) was made; ``data.copy`` is the new project's id."""

MEMBER_ADDED = "project.member_added"
"""A person was added to the project by name."""

MEMBER_REMOVED = "project.member_removed"
"""A person was taken off the project."""

TASK_CREATED = "task.created"
"""A task was added at the end of its column; ``data.task`` is the task as the board shows it."""

TASK_UPDATED = "task.updated"
"""A task's fields changed (title, priority, assignee, dates, hours, tags)."""

TASK_MOVED = "task.moved"
"""A card moved: ``data.task`` now sits at ``data.position`` of ``data.status``, having left
``data.from_status`` at ``data.from_position``; the other cards of both columns shifted by one."""

TASK_DELETED = "task.deleted"
"""A task (and its subtasks) was removed; the cards below it moved up."""

TASK_COMMENTED = "task.commented"
"""Someone commented on a task."""

WORK_LOGGED = "task.work_logged"
"""Hours were logged against a task; ``data.actual_hours`` is the task's new total."""

TASK_LINKED = "task.linked"
"""A task was linked to a booking or an asset."""

TASK_UNLINKED = "task.unlinked"
"""A task's link to a booking or an asset was removed."""

BOM_CHANGED = "bom.changed"
"""A BOM line was added, changed or removed."""

BOM_ALLOCATED = "bom.allocated"
"""Stock was set aside for a BOM line through the inventory ledger."""

BOM_RETURNED = "bom.returned"
"""Stock set aside for a BOM line was given back to free stock."""

FILE_UPLOADED = "file.uploaded"
"""A file or a new version of one was uploaded; ``data.version`` is its number."""

FILE_SHARED = "file.shared"
"""A share link was made for a file."""

SHARE_REVOKED = "file.share_revoked"
"""A share link stopped working."""

TEAM_CHANGED = "team.changed"
"""A team was created, renamed, or its member list or roles changed; sent on ``team:<id>``."""

INVITATION_SENT = "team.invitation_sent"
"""Someone was invited by email to join a team."""

INVITATION_REVOKED = "team.invitation_revoked"
"""An invitation was withdrawn before anyone accepted it; its link no longer works."""

INVITATION_ACCEPTED = "team.invitation_accepted"
"""An invitation was accepted; the person is now a team member."""
