"""Shapes of the workflows API: field types and validation only; rules live in the services.

A run's state, progress and times, an agent's status and counts, and a suggestion's
decision are read-only: they change only through the services behind the actions.
"""
import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.topics import TOPIC_RE

from ..models import Agent, Comment, LogLine, Run, Suggestion, Task, Trigger, Workflow
from ..services.triggers import OWN_TOPICS
from ..services.workflows import CAPABILITY, LIMITS, MAX_STEPS

# What the services check, stated in the API schema (built from the services' own limits).
CAPABILITY_SCHEMA = {"type": "string", "pattern": CAPABILITY.pattern}
STEP_SCHEMA = {
    "type": "object", "required": ["name", "capability"], "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 120, "pattern": r"\S"},
        "capability": CAPABILITY_SCHEMA,
        "parameters": {"type": "object", "additionalProperties": {},
                       "description": "Handed to the agent; under 10 000 characters as JSON."},
        **{key: {"type": "integer", "minimum": low, "maximum": high, "default": default}
           for key, (low, high, default) in LIMITS.items()},
        "on_agent_lost": {"type": "string", "enum": ["retry", "fail"], "default": "retry"},
    },
}
# A trigger listens to a topic of another app: the topic's form, less the workflows app's own names.
# (Its groups unnamed: a schema's patterns are ECMA-262, which names groups another way.)
TOPIC_PATTERN = "^(?!(?:{})(?::|$))".format("|".join(sorted(OWN_TOPICS))) + re.sub(
    r"\(\?P<\w+>", "(?:", TOPIC_RE.pattern.lstrip("^"))


def cron_field(value: str, step: str) -> str:
    """One field of a cron schedule: ``*``, ``*/step`` or a list of up to four values."""
    return rf"(?:\*(?:/(?:{step}))?|(?:{value})(?:,(?:{value})){{0,3}})"


# minute hour day-of-month month day-of-week, each in its range (as django-celery-beat checks them).
CRON = "^(?:" + " ".join([
    cron_field("[0-9]|[1-5][0-9]", "[1-9]|[1-5][0-9]"),
    cron_field("[0-9]|1[0-9]|2[0-3]", "[1-9]|1[0-9]|2[0-3]"),
    cron_field("[1-9]|[12][0-9]|3[01]", "[1-9]|[12][0-9]|3[01]"),
    cron_field("[1-9]|1[0-2]", "[1-9]|1[0-2]"),
    cron_field("[0-6]", "[1-6]"),
]) + ")$"


@extend_schema_field({"type": "array", "minItems": 1, "maxItems": MAX_STEPS, "items": STEP_SCHEMA,
                      "description": "Ordered steps: name, capability, parameters, timeout_seconds, retries, "
                                     "backoff_seconds, on_agent_lost ('retry' or 'fail')."})
class StepsField(serializers.JSONField):
    """A workflow's steps; ``services.workflows.clean_steps`` checks them."""


@extend_schema_field({"type": "array", "minItems": 1, "items": CAPABILITY_SCHEMA})
class CapabilitiesField(serializers.ListField):
    """What an agent can do: at least one capability name."""

    child = serializers.CharField(max_length=60)


@extend_schema_field({"type": "string", "pattern": CRON,
                      "description": "'minute hour day month weekday'; empty removes the schedule."})
class CronField(serializers.CharField):
    """A cron schedule, or empty; ``services.workflows.schedule_workflow`` checks it."""


@extend_schema_field({"type": "string", "maxLength": 125, "pattern": TOPIC_PATTERN,
                      "description": "Bus topic of another app, e.g. 'inventory' or 'device:3'."})
class TopicField(serializers.CharField):
    """The bus topic a trigger listens to; ``services.triggers`` checks it."""


@extend_schema_field({"type": "object", "additionalProperties": {
    "anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]},
    "description": "Event data fields that must be equal: plain values."})
class EventFieldsField(serializers.JSONField):
    """The event data a trigger matches; ``services.triggers`` refuses nested values."""


class WorkflowSerializer(serializers.ModelSerializer):
    steps = StepsField()

    class Meta:
        model = Workflow
        fields = ["id", "name", "description", "steps", "version", "enabled", "priority", "created_at", "updated_at"]
        read_only_fields = ["version", "created_at", "updated_at"]
        extra_kwargs = {"name": {"validators": []},  # a taken name is the service's 409
                        # No number a service stores is negative (``core.validation.check_limits``).
                        "priority": {"min_value": 0, "max_value": 2147483647}}


class StartSerializer(serializers.Serializer):
    scheduled_for = serializers.DateTimeField(required=False, allow_null=True,
                                              help_text="Start later: the run stays scheduled until then.")
    due_at = serializers.DateTimeField(required=False, allow_null=True, help_text="When it should be done by.")


class ScheduleSerializer(serializers.Serializer):
    cron = CronField(allow_blank=True)


class RunTaskSerializer(serializers.ModelSerializer):
    agent_name = serializers.CharField(source="agent.name", read_only=True, default=None)
    duration = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Task
        fields = ["id", "run", "position", "name", "capability", "parameters", "state", "attempts", "retries",
                  "timeout_seconds", "not_before", "agent", "agent_name", "progress", "started_at", "ended_at",
                  "duration", "result", "error", "log_count"]
        read_only_fields = fields


class RunSerializer(serializers.ModelSerializer):
    duration = serializers.FloatField(read_only=True, allow_null=True)
    started_by_name = serializers.CharField(source="started_by.username", read_only=True, default=None)
    tasks = RunTaskSerializer(many=True, read_only=True)

    class Meta:
        model = Run
        fields = ["id", "workflow", "source", "reference", "title", "link", "version", "state", "progress",
                  "priority", "origin", "origin_detail", "started_by", "started_by_name", "scheduled_for", "due_at",
                  "started_at", "ended_at", "duration", "error", "created_at", "tasks"]
        read_only_fields = fields


class TimelineSerializer(RunSerializer):
    class Meta(RunSerializer.Meta):
        fields = [name for name in RunSerializer.Meta.fields if name != "tasks"]
        read_only_fields = fields


class RunReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class LogLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = LogLine
        fields = ["id", "task", "number", "at", "level", "message"]


class RunCommentSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.username", read_only=True, default=None)
    agent_name = serializers.CharField(source="agent.name", read_only=True, default=None)

    class Meta:
        model = Comment
        fields = ["id", "run", "author", "author_name", "agent", "agent_name", "body", "created_at"]
        read_only_fields = ["run", "author", "agent", "created_at"]


class AgentSerializer(serializers.ModelSerializer):
    capabilities = CapabilitiesField(allow_empty=False)
    success_rate = serializers.FloatField(read_only=True, allow_null=True)
    # A method, not a field with a default: a partial update would skip a default and drop the key.
    key_prefix = serializers.SerializerMethodField()
    role = serializers.ChoiceField(choices=["viewer", "member", "operator"], write_only=True, required=False,
                                   help_text="The role the agent's key is capped at (default member).")

    class Meta:
        model = Agent
        fields = ["id", "name", "capabilities", "status", "last_seen_at", "successes", "failures", "success_rate",
                  "key_prefix", "role", "created_at"]
        read_only_fields = ["status", "last_seen_at", "successes", "failures", "created_at"]
        extra_kwargs = {"name": {"validators": []}}

    def get_key_prefix(self, agent) -> str | None:
        key = getattr(agent, "api_key", None)
        return key.prefix if key is not None else None


class AgentWithKeySerializer(AgentSerializer):
    api_key = serializers.CharField(read_only=True, help_text="Shown only in this answer; store it now.")

    class Meta(AgentSerializer.Meta):
        fields = AgentSerializer.Meta.fields + ["api_key"]


class SuggestionSerializer(serializers.ModelSerializer):
    agent_name = serializers.CharField(source="agent.name", read_only=True)

    class Meta:
        model = Suggestion
        fields = ["id", "agent", "agent_name", "action", "reasoning", "confidence", "run", "workflow", "state",
                  "decided_by", "decided_at", "note", "started_run", "created_at"]
        read_only_fields = ["agent", "state", "decided_by", "decided_at", "note", "started_run", "created_at"]


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class TriggerSerializer(serializers.ModelSerializer):
    topic = TopicField(max_length=125)

    class Meta:
        model = Trigger
        fields = ["id", "workflow", "name", "topic", "event_type", "fields", "cooldown_seconds", "enabled",
                  "last_fired_at", "fired_count", "created_at"]
        read_only_fields = ["last_fired_at", "fired_count", "created_at"]

    def build_field(self, field_name, info, model_class, nested_depth):
        field_class, kwargs = super().build_field(field_name, info, model_class, nested_depth)
        if field_name == "fields":  # not declarable above: ``fields`` is every serializer's own attribute
            field_class = EventFieldsField
        return field_class, kwargs


class ClaimSerializer(serializers.Serializer):
    capabilities = serializers.ListField(child=serializers.CharField(max_length=60), required=False,
                                         help_text="Claim only tasks needing these of the agent's capabilities.")


class ProgressSerializer(serializers.Serializer):
    progress = serializers.IntegerField(min_value=0, max_value=100)


class LogBatchSerializer(serializers.Serializer):
    lines = serializers.JSONField(help_text="A list of strings or {level, message} objects.")


class CompleteSerializer(serializers.Serializer):
    result = serializers.JSONField(required=False, allow_null=True)


class FailSerializer(serializers.Serializer):
    error = serializers.CharField(max_length=2000)


class AgentCommentSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)
