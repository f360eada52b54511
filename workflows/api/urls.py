"""Workflows API routes, mounted at ``/api/workflows/``."""
from django.urls import path
from rest_framework.routers import DefaultRouter

from . import agent_views, views

router = DefaultRouter(trailing_slash=True)
router.register("workflows", views.WorkflowViewSet, basename="workflow")
router.register("runs", views.RunViewSet, basename="run")
router.register("agents", views.AgentViewSet, basename="agent")
router.register("suggestions", views.SuggestionViewSet, basename="suggestion")
router.register("triggers", views.TriggerViewSet, basename="trigger")
router.register("timeline", views.TimelineViewSet, basename="timeline")

urlpatterns = [
    path("agent/heartbeat/", agent_views.HeartbeatView.as_view(), name="agent-heartbeat"),
    path("agent/claim/", agent_views.ClaimView.as_view(), name="agent-claim"),
    *[path(f"agent/tasks/<int:task_id>/{report}/", agent_views.TaskReportView.as_view(report=report),
           name=f"agent-task-{report}") for report in ("progress", "logs", "complete", "fail")],
    path("agent/suggestions/", agent_views.AgentSuggestionView.as_view(), name="agent-suggestions"),
    path("agent/runs/<int:run_id>/comments/", agent_views.AgentCommentView.as_view(), name="agent-comments"),
    *router.urls,
]
