"""Shapes of the workflows API: field types and validation only; rules live in the services.

A run's state, progress and times, an agent's status and counts, and a suggestion's
decision are read-only: they change only through the services behind the actions.
"""
from rest_framework import serializers

from ..models import Agent, Comment, LogLine, Run, Suggestion, Task, Trigger, Workflow


class WorkflowSerializer(serializers.ModelSerializer):
    steps = serializers.JSONField(help_text="Ordered steps: name, capability, parameters, timeout_seconds, "
                                            "retries, backoff_seconds, on_agent_lost ('retry' or 'fail').")

    class Meta:
        model = Workflow
        fields = ["id", "name", "description", "steps", "version", "enabled", "priority", "created_at", "updated_at"]
        read_only_fields = ["version", "created_at", "updated_at"]
        extra_kwargs = {"name": {"validators": []}}  # a taken name is the service's 409


class StartSerializer(serializers.Serializer):
    scheduled_for = serializers.DateTimeField(required=False, allow_null=True,
                                              help_text="Start later: the run stays scheduled until then.")
    due_at = serializers.DateTimeField(required=False, allow_null=True, help_text="When it should be done by.")


class ScheduleSerializer(serializers.Serializer):
    cron = serializers.CharField(allow_blank=True, help_text="'minute hour day month weekday'; empty removes it.")


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
    capabilities = serializers.ListField(child=serializers.CharField(max_length=60), allow_empty=False)
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
    class Meta:
        model = Trigger
        fields = ["id", "workflow", "name", "topic", "event_type", "fields", "cooldown_seconds", "enabled",
                  "last_fired_at", "fired_count", "created_at"]
        read_only_fields = ["last_fired_at", "fired_count", "created_at"]


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
