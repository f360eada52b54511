"""Endpoints for agents, authenticated by the agent's own key (``Authorization: Api-Key <key>``).

``services.agent_for`` checks the key belongs to an agent; any other login gets 403. Agents
get a throttle of their own, counted per key (``WORKFLOWS_AGENT_RATE``), so busy agents of one
operator do not share that operator's allowance.
"""
from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from .. import services
from ..models import Run, Task
from . import serializers as s


class AgentThrottle(SimpleRateThrottle):
    """``WORKFLOWS_AGENT_RATE`` requests per agent key."""

    scope = "workflows-agent"

    def get_rate(self):
        return settings.WORKFLOWS_AGENT_RATE

    def get_cache_key(self, request, view):
        key = getattr(request.user, "api_key", None)
        return None if key is None else self.cache_format % {"scope": self.scope, "ident": key.pk}


class AgentView(APIView):
    throttle_classes = [AgentThrottle]

    def agent(self):
        return services.agent_for(self.request.user)

    def body(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class HeartbeatView(AgentView):
    @extend_schema(request=None, responses=s.AgentSerializer)
    def post(self, request):
        """The agent is alive; answers its status and how often to beat."""
        agent = services.heartbeat(request.user, self.agent())
        return Response(s.AgentSerializer(agent).data | {"heartbeat_seconds": settings.WORKFLOWS_HEARTBEAT_SECONDS})


class ClaimView(AgentView):
    serializer_class = s.ClaimSerializer

    @extend_schema(request=s.ClaimSerializer, responses={200: s.RunTaskSerializer, 204: None})
    def post(self, request):
        """The next pending task this agent can do (200), or nothing to do (204)."""
        data = self.body(s.ClaimSerializer)
        task = services.claim_next_task(request.user, self.agent(), data.get("capabilities"))
        if task is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(s.RunTaskSerializer(task).data)


class TaskReportView(AgentView):
    """``progress``, ``logs``, ``complete`` and ``fail`` on a task the agent holds."""

    report = None
    SERIALIZERS = {"progress": s.ProgressSerializer, "logs": s.LogBatchSerializer, "complete": s.CompleteSerializer,
                   "fail": s.FailSerializer}

    def get_serializer_class(self):
        return self.SERIALIZERS[self.report]

    def post(self, request, task_id):
        """Report on a task this agent holds; reports on others' tasks or ended tasks are refused (409)."""
        agent = self.agent()
        task = get_object_or_404(Task, pk=task_id)
        data = self.body(self.SERIALIZERS[self.report])
        if self.report == "logs":
            count = services.append_logs(request.user, agent, task, data["lines"])
            return Response({"stored": count})
        if self.report == "progress":
            task = services.report_progress(request.user, agent, task, progress=data["progress"])
        elif self.report == "complete":
            task = services.complete_task(request.user, agent, task, result=data.get("result"))
        else:
            task = services.fail_task(request.user, agent, task, error=data["error"])
        return Response(s.RunTaskSerializer(Task.objects.select_related("agent").get(pk=task.pk)).data)


class AgentSuggestionView(AgentView):
    serializer_class = s.SuggestionSerializer

    @extend_schema(request=s.SuggestionSerializer, responses={201: s.SuggestionSerializer})
    def post(self, request):
        """The agent proposes an action for people to approve or reject."""
        data = self.body(s.SuggestionSerializer)
        suggestion = services.make_suggestion(request.user, self.agent(), **data)
        return Response(s.SuggestionSerializer(suggestion).data, status=status.HTTP_201_CREATED)


class AgentCommentView(AgentView):
    serializer_class = s.AgentCommentSerializer

    @extend_schema(request=s.AgentCommentSerializer, responses={201: s.RunCommentSerializer})
    def post(self, request, run_id):
        """The agent comments on a run."""
        agent = self.agent()
        run = get_object_or_404(Run, pk=run_id)
        data = self.body(s.AgentCommentSerializer)
        comment = services.comment_on_run(request.user, run, body=data["body"], agent=agent)
        return Response(s.RunCommentSerializer(comment).data, status=status.HTTP_201_CREATED)


