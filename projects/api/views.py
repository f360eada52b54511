"""Projects and tasks API. Reads go through the visibility query; every write calls a service."""
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.response import Response

from core.api.lean import Computed, LeanListMixin
from core.api.viewsets import ServiceModelViewSet
from core.errors import NotFound

from .. import queries, services
from ..models import Task, TaskLink
from . import serializers as s
from .common import ProjectAccess, ProjectScoped
from .filters import ProjectFilter, TaskFilter

# A task row's assignee as ``str(user)`` writes it (the display name, else the username).
TASK_FIELDS = {"assignee_name": Computed(lambda pk, shown, username: (shown or username) if pk else "",
                                         ("assignee_id", "assignee__display_name", "assignee__username"))}


class ProjectViewSet(LeanListMixin, ServiceModelViewSet):
    """Projects you may see: create, change, archive, restore, duplicate, stats and members."""

    permission_classes = [ProjectAccess]
    serializer_class = s.ProjectSerializer
    lean_list = True
    filterset_class = ProjectFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "created_at", "due_date", "status"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return queries.visible_projects(self.request.user).select_related("owner").annotate(
            open_tasks=queries.open_task_count()).order_by("-created_at", "-id")

    @extend_schema(exclude=True)  # the schema lists what the API does: a DELETE here is only refused
    def destroy(self, request, *args, **kwargs):
        """Projects are archived, not deleted."""
        raise MethodNotAllowed("DELETE", detail="Projects are archived, not deleted: POST to archive/ instead.")

    def get_object(self):
        return queries.get_project(self.request.user, self.kwargs["pk"], queryset=self.get_queryset())

    def create_with(self, user, data):
        return services.create_project(user, **data)

    def update_with(self, user, instance, data):
        return services.update_project(user, instance, **data)

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response.data = self.get_serializer(self.get_object_by_id(response.data["id"])).data
        return response

    def get_object_by_id(self, pk):
        return self.get_queryset().get(pk=pk)

    def _answer(self, project, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_object_by_id(project.pk)).data, status=code)

    @extend_schema(request=None, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive the project (owner, team leads, operators): read-only until restored."""
        return self._answer(services.archive_project(request.user, self.get_object()))

    @extend_schema(request=None, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Restore an archived project to the status it had."""
        return self._answer(services.restore_project(request.user, self.get_object()))

    @extend_schema(request=s.DuplicateSerializer, responses={201: s.ProjectSerializer})
    @action(detail=True, methods=["post"])
    def duplicate(self, request, pk=None):
        """Copy the project with its tasks and BOM (not its files); you own the copy."""
        body = s.DuplicateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        copy = services.duplicate_project(request.user, self.get_object(), name=body.validated_data.get("name", ""))
        return self._answer(copy, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=dict)
    @action(detail=True, methods=["get"])
    def stats(self, request, pk=None):
        """Tasks by status, overdue, estimated vs actual hours, material cost."""
        return Response(queries.project_stats(self.get_object()))

    @extend_schema(request=s.MemberSerializer, responses=dict)
    @action(detail=True, methods=["get", "post"])
    def members(self, request, pk=None):
        """Everyone on the project (GET); add a person by id (POST; owner, team leads, operators)."""
        project = self.get_object()
        if request.method == "POST":
            body = s.MemberSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            services.add_member(request.user, project, body.validated_data["user"])
        people = [{"id": u.pk, "username": u.username, "owner": u.pk == project.owner_id}
                  for u in queries.project_people(project)]
        return Response({"project": project.pk, "members": people},
                        status=status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<user_id>[0-9]+)")
    def remove_member(self, request, pk=None, user_id=None):
        """Take a named member off the project."""
        services.remove_member(request.user, self.get_object(), user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TaskViewSet(LeanListMixin, ProjectScoped, ServiceModelViewSet):
    """A project's tasks: list with filters, add, change, move on the board, assign, comment, log work."""

    serializer_class = s.TaskSerializer
    lean_list = True
    lean_fields = TASK_FIELDS
    lean_actions = ("comments", "worklogs", "links")
    filterset_class = TaskFilter
    search_fields = ["title", "description"]
    ordering_fields = ["position", "due_date", "priority", "created_at", "status", "title"]
    ordering = ["status", "position"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no project
            return Task.objects.none()
        return queries.tasks_for_list().filter(project=self.project).order_by("status", "position")

    def create_with(self, user, data):
        return services.create_task(user, self.project, **data)

    def update_with(self, user, instance, data):
        return services.update_task(user, instance, **data)

    def delete_with(self, user, instance):
        services.delete_task(user, instance)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = self.create_with(request.user, dict(serializer.validated_data))
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data, status=status.HTTP_201_CREATED)

    def _answer(self, task):
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(request=s.MoveSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, project_pk=None, pk=None):
        """Put the card at ``position`` (0 = top) of column ``status``; the columns stay 0..n-1."""
        body = s.MoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = services.move_task(request.user, self.get_object(), body.validated_data["status"],
                                  body.validated_data["position"])
        return self._answer(task)

    @extend_schema(request=s.AssignSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, project_pk=None, pk=None):
        """Give the task to a project member (or to nobody with ``null``)."""
        body = s.AssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.assign_task(request.user, self.get_object(), body.validated_data["assignee"]))

    @extend_schema(request=s.TaskBulkUpdateSerializer, responses=dict)
    @action(detail=False, methods=["post"], url_path="bulk-update")
    def bulk_update(self, request, project_pk=None):
        """Change many tasks at once; each answers for itself (``ok``, or its error)."""
        body = s.TaskBulkUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        task_ids = fields.pop("tasks")
        results = services.bulk_update_tasks(request.user, self.project, task_ids, **fields)
        return Response({"results": results, "updated": sum(1 for r in results if r["ok"])})

    @extend_schema(request=s.CommentSerializer, responses=s.CommentSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, project_pk=None, pk=None):
        """The task's comments, oldest first (GET); add one (POST)."""
        task = self.get_object()
        if request.method == "POST":
            body = s.CommentSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            comment = services.add_comment(request.user, task, body.validated_data["body"])
            return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        return self.lean_rows(task.comments.select_related("author"), s.CommentSerializer)

    @extend_schema(request=s.WorkLogSerializer, responses=s.WorkLogSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def worklogs(self, request, project_pk=None, pk=None):
        """Hours logged on the task (GET); log some (POST: hours, note, date)."""
        task = self.get_object()
        if request.method == "POST":
            body = s.WorkLogSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
            log = services.log_work(request.user, task, hours=data["hours"], note=data.get("note", ""),
                                    date=data.get("date"))
            return Response(s.WorkLogSerializer(log).data, status=status.HTTP_201_CREATED)
        return self.lean_rows(task.worklogs.select_related("user"), s.WorkLogSerializer)

    @extend_schema(request=s.LinkSerializer, responses=s.LinkSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # every link of the task, unpaged
    def links(self, request, project_pk=None, pk=None):
        """The task's linked bookings and assets (GET); link one (POST: ``booking`` or ``asset``)."""
        task = self.get_object()
        if request.method == "POST":
            body = s.LinkSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            link = services.link_task(request.user, task, booking=body.validated_data.get("booking"),
                                      asset=body.validated_data.get("asset"))
            return Response(s.LinkSerializer(link).data, status=status.HTTP_201_CREATED)
        return self.lean_rows(task.links.select_related("booking", "asset"), s.LinkSerializer, paginate=False)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"links/(?P<link_id>[0-9]+)")
    def unlink(self, request, project_pk=None, pk=None, link_id=None):
        """Remove one link of the task."""
        link = TaskLink.objects.filter(pk=link_id, task=self.get_object()).first()
        if link is None:
            raise NotFound("There is no such link on this task.")
        services.unlink_task(request.user, link)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyTaskViewSet(LeanListMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Open tasks assigned to me across the projects I can see."""

    permission_classes = [ProjectAccess]
    serializer_class = s.TaskSerializer
    lean_list = True
    lean_fields = TASK_FIELDS
    ordering_fields = ["due_date", "priority", "created_at"]

    def get_queryset(self):
        return queries.my_tasks(self.request.user) if self.request.user.is_authenticated else Task.objects.none()
