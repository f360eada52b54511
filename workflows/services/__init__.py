"""Every change of state in the workflows app (the API, admin, pages, tasks and commands call these)."""
from .agents import (  # noqa: F401
                     agent_for,
                     create_agent,
                     heartbeat,
                     mark_offline,
                     mark_silent_agents_offline,
                     rotate_agent_key,
                     update_agent,
)
from .runs import cancel_run, pause_run, resume_run, retry_run, start_workflow  # noqa: F401
from .suggestions import approve_suggestion, comment_on_run, make_suggestion, reject_suggestion  # noqa: F401
from .tasks import (  # noqa: F401
                     append_logs,
                     claim_next_task,
                     complete_task,
                     fail_task,
                     release_due_runs,
                     report_progress,
                     time_out_overdue_tasks,
)
from .timeline import report_activity  # noqa: F401
from .triggers import create_trigger, delete_trigger, update_trigger  # noqa: F401
from .workflows import create_workflow, delete_workflow, schedule_workflow, update_workflow  # noqa: F401
