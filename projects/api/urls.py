"""Projects API routes, mounted at ``/api/projects/``."""
from django.urls import path
from rest_framework.routers import DefaultRouter

from . import material_views, team_views, views

PROJECT = r"projects/(?P<project_pk>[0-9]+)"

router = DefaultRouter(trailing_slash=True)
router.register("projects", views.ProjectViewSet, basename="project")
router.register(f"{PROJECT}/tasks", views.TaskViewSet, basename="task")
router.register(f"{PROJECT}/bom", material_views.BomLineViewSet, basename="bom")
router.register(f"{PROJECT}/files", material_views.FileViewSet, basename="file")
router.register("my-tasks", views.MyTaskViewSet, basename="my-task")
router.register("teams", team_views.TeamViewSet, basename="team")
router.register("invitations", team_views.InvitationViewSet, basename="invitation")

urlpatterns = [
    path("share/<str:token>/", material_views.ShareOpenView.as_view(), name="share-open"),
    path("projects/<int:project_pk>/bom/export.csv", material_views.BomLineViewSet.as_view({"get": "export"}),
         name="bom-export-csv"),
    *router.urls,
]
