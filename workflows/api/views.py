"""Workflows API for people: workflows, runs, agents, suggestions, triggers and the timeline.

Reads filter and order here; every write calls a service. The agent endpoints are in
``agent_views``.
"""
from django.db.models import F, Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import roles_required
from accounts.roles import MEMBER, OPERATOR, VIEWER
from core.api.lean import Column, LeanListMixin, related_rows, row_property
from core.api.viewsets import ServiceModelViewSet
from core.errors import RuleViolation
from core.parsing import as_id

from .. import services
from ..models import Agent, Comment, LogLine, Run, Suggestion, Task, Trigger, Workflow
from . import serializers as s


class WorkflowViewSet(LeanListMixin, ServiceModelViewSet):
    """Workflows: everyone with a role reads; operators define them; members start runs."""

    serializer_class = s.WorkflowSerializer
    lean_list = True
    queryset = Workflow.objects.all()
    filterset_fields = ["enabled"]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "created_at", "priority"]

    def create_with(self, actor, data):
        return services.create_workflow(actor, **data)

    def update_with(self, actor, instance, data):
        return services.update_workflow(actor, instance, **data)

    def delete_with(self, actor, instance):
        services.delete_workflow(actor, instance)

    @extend_schema(request=s.StartSerializer, responses={201: s.RunSerializer})
    @action(detail=True, methods=["post"], permission_classes=[roles_required(read=VIEWER, write=MEMBER)])
    def start(self, request, pk=None):
        """Start a run of this workflow now (or at ``scheduled_for``)."""
        body = s.StartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = services.start_workflow(request.user, self.get_object(), **body.validated_data)
        return Response(s.RunSerializer(run_queryset().get(pk=run.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ScheduleSerializer, responses=s.ScheduleSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        """Start this workflow on a cron schedule (operators); an empty ``cron`` removes the schedule."""
        body = s.ScheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cron = services.schedule_workflow(request.user, self.get_object(), cron=body.validated_data["cron"])
        return Response({"cron": cron or ""})


def run_queryset():
    """Runs with their tasks and the tasks' agents, in a fixed number of queries."""
    return Run.objects.select_related("started_by").prefetch_related(
        Prefetch("tasks", queryset=Task.objects.select_related("agent").order_by("position")))


# A run's duration from its own times (``Run.duration``: until now while it runs).
RUN_FIELDS = {"duration": row_property(Run.duration, "started_at", "ended_at")}


class RunViewSet(LeanListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Runs with their tasks; members cancel, pause, resume and retry them and comment on them."""

    permission_classes = [roles_required(read=VIEWER, write=MEMBER)]
    serializer_class = s.RunSerializer
    lean_list = True
    lean_fields = RUN_FIELDS | {
        "tasks": related_rows(lambda view: Task.objects.order_by("position"), "run_id", s.RunTaskSerializer,
                              lean_fields={"duration": row_property(Task.duration, "started_at", "ended_at")}),
    }
    lean_actions = ("logs", "comments")
    filterset_fields = ["state", "workflow", "source", "origin"]
    search_fields = ["title"]
    ordering_fields = ["created_at", "started_at", "ended_at", "due_at", "state", "progress"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return run_queryset()

    def _act(self, service, **kwargs):
        run = service(self.request.user, self.get_object(), **kwargs)
        return Response(s.RunSerializer(run_queryset().get(pk=run.pk)).data)

    @extend_schema(request=s.RunReasonSerializer, responses=s.RunSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Stop the run; unfinished tasks are cancelled."""
        body = s.RunReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._act(services.cancel_run, reason=body.validated_data.get("reason", ""))

    @extend_schema(request=None, responses=s.RunSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        """Hold the run before its next step."""
        return self._act(services.pause_run)

    @extend_schema(request=None, responses=s.RunSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """Let a paused run go on."""
        return self._act(services.resume_run)

    @extend_schema(request=None, responses=s.RunSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Run a failed, crashed or cancelled run again from its first unfinished step."""
        return self._act(services.retry_run)

    @extend_schema(responses=s.LogLineSerializer(many=True))
    @action(detail=True, methods=["get"])
    def logs(self, request, pk=None):
        """The run's log lines in order; ``task`` narrows to one task, ``after`` to lines past a number."""
        run = self.get_object()
        lines = LogLine.objects.filter(task__run=run).order_by("task__position", "number")
        for name in ("task", "after"):
            value = request.query_params.get(name)
            if value is not None and as_id(value) is None and value != "0":
                raise RuleViolation(f"'{name}' must be a whole number.", fields={name: [value]})
        if request.query_params.get("task"):
            lines = lines.filter(task_id=int(request.query_params["task"]))
        if request.query_params.get("after"):
            lines = lines.filter(number__gt=int(request.query_params["after"]))
        return self.lean_rows(lines, s.LogLineSerializer)

    @extend_schema(request=s.AgentCommentSerializer, responses=s.RunCommentSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        """The run's comments (GET); add one (POST, members and up)."""
        run = self.get_object()
        if request.method == "GET":
            return self.lean_rows(Comment.objects.filter(run=run).select_related("author", "agent"),
                                  s.RunCommentSerializer)
        body = s.AgentCommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = services.comment_on_run(request.user, run, body=body.validated_data["body"])
        return Response(s.RunCommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class TimelineViewSet(LeanListMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The one timeline: workflow runs and other apps' activities, newest first."""

    permission_classes = [roles_required(read=VIEWER, write=OPERATOR)]
    serializer_class = s.TimelineSerializer
    lean_list = True
    lean_fields = RUN_FIELDS
    filterset_fields = ["state", "source", "workflow"]
    ordering_fields = ["created_at", "started_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return Run.objects.select_related("started_by")


class AgentViewSet(LeanListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Agents: everyone with a role sees the board; operators create agents and rotate their keys."""

    permission_classes = [roles_required(read=VIEWER, write=OPERATOR)]
    serializer_class = s.AgentSerializer
    lean_list = True
    lean_fields = {"success_rate": row_property(Agent.success_rate, "successes", "failures"),
                   "key_prefix": Column(F("api_key__prefix"))}  # None without a key, as the method says
    queryset = Agent.objects.select_related("api_key")
    filterset_fields = ["status"]
    search_fields = ["name"]
    ordering_fields = ["name", "last_seen_at", "successes", "failures"]

    @extend_schema(responses={201: s.AgentWithKeySerializer})
    def create(self, request, *args, **kwargs):
        """Create an agent; the answer carries its API key, shown only this once."""
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        agent, secret = services.create_agent(request.user, **body.validated_data)
        data = s.AgentWithKeySerializer(agent).data | {"api_key": secret}
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("role", None)
        serializer.instance = services.update_agent(self.request.user, serializer.instance, **data)

    @extend_schema(request=None, responses=s.AgentWithKeySerializer)
    @action(detail=True, methods=["post"], url_path="rotate-key")
    def rotate_key(self, request, pk=None):
        """Give the agent a new API key (shown once) and revoke the old one."""
        agent, secret = services.rotate_agent_key(request.user, self.get_object())
        return Response(s.AgentWithKeySerializer(agent).data | {"api_key": secret})


class SuggestionViewSet(LeanListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Agents' suggestions: everyone with a role reads them; operators approve or reject pending ones."""

    permission_classes = [roles_required(read=VIEWER, write=OPERATOR)]
    serializer_class = s.SuggestionSerializer
    lean_list = True
    queryset = Suggestion.objects.select_related("agent")
    filterset_fields = ["state", "agent", "run"]
    ordering_fields = ["created_at", "confidence"]

    def _decide(self, service):
        body = s.DecisionSerializer(data=self.request.data)
        body.is_valid(raise_exception=True)
        suggestion = service(self.request.user, self.get_object(), note=body.validated_data.get("note", ""))
        return Response(s.SuggestionSerializer(suggestion).data)

    @extend_schema(request=s.DecisionSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a pending suggestion; one naming a workflow starts it."""
        return self._decide(services.approve_suggestion)

    @extend_schema(request=s.DecisionSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject a pending suggestion."""
        return self._decide(services.reject_suggestion)


class TriggerViewSet(LeanListMixin, ServiceModelViewSet):
    """Triggers: bus events that start workflows; operators manage them."""

    serializer_class = s.TriggerSerializer
    lean_list = True
    queryset = Trigger.objects.all()
    filterset_fields = ["workflow", "enabled"]
    ordering_fields = ["name", "last_fired_at"]

    def create_with(self, actor, data):
        workflow = data.pop("workflow")
        return services.create_trigger(actor, workflow, **data)

    def update_with(self, actor, instance, data):
        return services.update_trigger(actor, instance, **data)

    def delete_with(self, actor, instance):
        services.delete_trigger(actor, instance)
