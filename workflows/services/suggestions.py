"""Suggestions agents make and people decide while pending; comments on runs by people or agents."""
from django.db import transaction
from django.utils import timezone

from accounts.roles import MEMBER, OPERATOR, require_role
from core import audit
from core import events as bus
from core.errors import Conflict, RuleViolation

from .. import events
from ..models import Agent, Comment, Run, Suggestion, Workflow
from .runs import start_workflow


def suggestion_data(suggestion: Suggestion) -> dict:
    return {"id": suggestion.pk, "summary": suggestion.action, "action": suggestion.action,
            "state": suggestion.state, "confidence": suggestion.confidence, "agent": suggestion.agent_id,
            "agent_name": suggestion.agent.name, "reasoning": suggestion.reasoning,
            "run": suggestion.run_id, "workflow": suggestion.workflow_id, "started_run": suggestion.started_run_id}


def _publish(suggestion: Suggestion) -> None:
    topics = ["workflows"] + ([f"run:{suggestion.run_id}"] if suggestion.run_id else [])
    bus.publish(topics, events.SUGGESTION_CHANGED, suggestion_data(suggestion))


@transaction.atomic
def make_suggestion(actor, agent: Agent, *, action: str, reasoning: str = "", confidence=0.5,
                    run: Run | None = None, workflow: Workflow | None = None) -> Suggestion:
    """An agent proposes an action (optionally: start ``workflow``) with its reasoning and confidence."""
    if not isinstance(action, str) or not action.strip() or len(action) > 200:
        raise RuleViolation("Describe the action in 1-200 characters.", fields={"action": ["Required."]})
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
        raise RuleViolation("confidence is a number from 0 to 1.", fields={"confidence": [str(confidence)]})
    suggestion = Suggestion.objects.create(agent=agent, action=action.strip(), reasoning=reasoning or "",
                                           confidence=float(confidence), run=run, workflow=workflow)
    audit.record(actor, "suggestion.create", suggestion, {"action": [None, suggestion.action]})
    _publish(suggestion)
    return suggestion


def _decide(actor, suggestion: Suggestion, state: str, note: str) -> Suggestion:
    require_role(actor, OPERATOR, "decide suggestions")
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.state != Suggestion.State.PENDING:
        raise Conflict(f"This suggestion was already {suggestion.state}; only pending ones can be decided.",
                       code="already_decided")
    suggestion.state, suggestion.decided_by, suggestion.decided_at = state, actor, timezone.now()
    suggestion.note = (note or "")[:2000]
    return suggestion


@transaction.atomic
def approve_suggestion(actor, suggestion: Suggestion, *, note: str = "") -> Suggestion:
    """An operator approves a pending suggestion; one that names a workflow starts it."""
    suggestion = _decide(actor, suggestion, Suggestion.State.APPROVED, note)
    if suggestion.workflow_id:
        suggestion.started_run = start_workflow(actor, suggestion.workflow, origin=Run.Origin.SUGGESTION,
                                                detail=f"suggestion {suggestion.pk} by {suggestion.agent.name}")
    suggestion.save()
    audit.record(actor, "suggestion.approve", suggestion, {"state": [Suggestion.State.PENDING, suggestion.state]})
    _publish(suggestion)
    return suggestion


@transaction.atomic
def reject_suggestion(actor, suggestion: Suggestion, *, note: str = "") -> Suggestion:
    """An operator turns a pending suggestion down, optionally saying why."""
    suggestion = _decide(actor, suggestion, Suggestion.State.REJECTED, note)
    suggestion.save()
    audit.record(actor, "suggestion.reject", suggestion, {"state": [Suggestion.State.PENDING, suggestion.state]})
    _publish(suggestion)
    return suggestion


@transaction.atomic
def comment_on_run(actor, run: Run, *, body: str, agent: Agent | None = None) -> Comment:
    """A person (member and up) or an agent remarks on a run."""
    if agent is None:
        require_role(actor, MEMBER, "comment on runs")
    if not isinstance(body, str) or not body.strip() or len(body) > 5000:
        raise RuleViolation("Write a comment of 1-5000 characters.", fields={"body": ["Required."]})
    comment = Comment.objects.create(run=run, author=None if agent else actor, agent=agent, body=body.strip())
    audit.record(actor, "run.comment", comment, {"run": [None, run.pk]}, object_repr=f"comment on run {run.pk}")
    bus.publish(f"run:{run.pk}", events.COMMENT_ADDED, {
        "id": comment.pk, "run": run.pk, "summary": comment.body[:80], "body": comment.body,
        "by": agent.name if agent else actor.get_username(), "agent": bool(agent), "at": comment.created_at})
    return comment
