"""Event types the workflows app publishes on the bus.

Run events go to ``run:<id>``, ``workflows`` (the timeline) and, for workflow runs,
``workflow:<id>``; ``data`` is the run as ``services.common.run_data`` shapes it.
Agent events go to ``agents``; task events to ``run:<id>``.
"""

WORKFLOW_CHANGED = "workflow.changed"
"""A workflow was created or its fields or steps changed (``data.version`` is the steps' version)."""

WORKFLOW_DELETED = "workflow.deleted"
"""A workflow without runs was removed."""

RUN_CHANGED = "run.changed"
"""A run was started or moved to another state, or its progress changed."""

TASK_CHANGED = "task.changed"
"""A task was claimed, reported progress, finished, failed or went back to pending."""

LOG_LINES = "task.log"
"""A batch of log lines of one task (``data.lines``), in order."""

COMMENT_ADDED = "run.comment"
"""A person or an agent commented on a run."""

AGENT_CHANGED = "agent.changed"
"""An agent was created, changed status, got a new key, or its counts changed."""

SUGGESTION_CHANGED = "suggestion.changed"
"""An agent made a suggestion, or a person approved or rejected one."""

TRIGGER_CHANGED = "trigger.changed"
"""A trigger was created, changed or removed (``data.deleted`` when removed); published on ``workflow:<id>``."""

TRIGGER_FIRED = "trigger.fired"
"""A trigger matched a bus event and started its workflow (``data.run``)."""
