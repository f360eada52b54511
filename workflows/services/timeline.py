"""The one timeline: other apps' activities (print jobs, power cycles, transcriptions) shown as runs.

An app reports each change of one activity with ``report_activity``; the timeline keeps one
``Run`` row per ``(source, reference)`` with its title, state and progress, never a copy of the
app's own tables. Apps call it from their services (after their own change) or from a bus
listener; see docs/workflows.md for the adapter interface.
"""
from django.db import transaction

from core import audit
from core.errors import RuleViolation

from ..models import Run
from .common import TRANSITIONS, move_run, publish_run

STATES = {choice.value for choice in Run.State}


@transaction.atomic
def report_activity(actor, *, source: str, reference: str, title: str, state: str, progress: int | None = None,
                    link: str = "", error: str = "") -> Run:
    """Put one activity of app ``source`` (its id ``reference``) on the timeline, or move it to ``state``.

    ``state`` is one of the run states; a change the run state machine forbids (a completed
    print job going back to running) is refused like any other run's.
    """
    if not source or source == "workflows" or len(source) > 30:
        raise RuleViolation("source names the reporting app (1-30 characters, not 'workflows').")
    if not reference or len(str(reference)) > 80:
        raise RuleViolation("reference is the app's own id of the activity (1-80 characters).")
    if state not in STATES:
        raise RuleViolation(f"state is one of {', '.join(sorted(STATES))}.")
    if progress is not None and not (isinstance(progress, int) and 0 <= progress <= 100):
        raise RuleViolation("progress is a whole number from 0 to 100.")
    run = Run.objects.select_for_update().filter(source=source, reference=str(reference)).first()
    if run is None:
        run = Run(source=source, reference=str(reference), origin=Run.Origin.APP, state=Run.State.PENDING,
                  origin_detail=source)
        before = None
    else:
        before = run.state
    run.title, run.link = title[:200], link[:300]
    if state != run.state:
        if before is None and state not in TRANSITIONS[Run.State.PENDING]:
            run.state = state  # the first report of an activity met mid-way (retrying, crashed): take it as is
        else:
            move_run(run, state, error=error)
    if progress is not None:
        run.progress = progress
    run.save()
    audit.record(actor, "run.report", run, {"state": [before, run.state], "source": [None, source]})
    publish_run(run)
    return run
