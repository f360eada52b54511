"""Equipment API: machines, their commands, jobs and telemetry, safety events. Every write calls a service."""
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import roles_required
from accounts.roles import MEMBER, OPERATOR
from core.api.lean import Column, LeanListMixin, related_rows, row_property
from core.api.viewsets import ServiceModelViewSet

from .. import services
from ..models import Job, Machine, SafetyEvent
from . import serializers as s

# Driving a machine is open to members here; the service decides (operator, or a booking held now).
DRIVER_ACTIONS = {"connect", "disconnect", "commands", "jobs"}


def _params(request, serializer_class, rename=None):
    data = {(rename or {}).get(key, key): value for key, value in request.query_params.items()}
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def machine_queryset():
    """Machines with their job in progress, in a fixed number of queries."""
    return Machine.objects.prefetch_related(
        Prefetch("jobs", queryset=Job.objects.filter(status__in=Job.ACTIVE).select_related("user"),
                 to_attr="active_jobs"))


# What a job row's serializer works out in Python, read by the lean list path from the job's own columns.
JOB_FIELDS = {
    "progress": row_property(Job.progress, "lines_acked", "total_lines"),
    "machine_hours": row_property(lambda job: round(Job.machine_seconds.fget(job) / 3600, 2),
                                  "started_at", "finished_at", "paused_seconds"),
}


class MachineViewSet(LeanListMixin, ServiceModelViewSet):
    """Machines: members read them and drive the ones they may; operators add, change and remove them."""

    permission_classes = [roles_required(read=MEMBER, write=OPERATOR)]
    serializer_class = s.MachineSerializer
    lean_list = True
    lean_fields = {
        "has_credentials": Column(ExpressionWrapper(~Q(sealed_secrets=""), output_field=BooleanField())),
        # At most one job is active on a machine (a constraint), so the one row is the job in progress.
        "current_job": related_rows(lambda view: Job.objects.filter(status__in=Job.ACTIVE), "machine_id",
                                    s.JobSerializer, many=False, lean_fields=JOB_FIELDS),
    }
    lean_actions = ("jobs",)
    filterset_fields = ["kind", "driver", "state", "enabled", "device"]
    search_fields = ["name"]
    ordering_fields = ["name", "state", "kind", "created_at"]
    ordering = ["name"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return machine_queryset()

    def get_permissions(self):
        if self.action in DRIVER_ACTIONS:
            return [roles_required(read=MEMBER, write=MEMBER)()]
        return super().get_permissions()

    def create_with(self, user, data):
        return services.create_machine(user, **data)

    def update_with(self, user, instance, data):
        return services.update_machine(user, instance, **data)

    def delete_with(self, user, instance):
        services.delete_machine(user, instance)

    @extend_schema(request=None, responses=s.CommandResultSerializer)
    @action(detail=True, methods=["post"])
    def connect(self, request, pk=None):
        """Ask the gateway to connect the machine."""
        command = services.connect_machine(request.user, self.get_object())
        return Response(s.CommandResultSerializer(command).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=s.CommandResultSerializer)
    @action(detail=True, methods=["post"])
    def disconnect(self, request, pk=None):
        """Ask the gateway to disconnect the machine."""
        command = services.disconnect_machine(request.user, self.get_object())
        return Response(s.CommandResultSerializer(command).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=s.CommandSerializer, responses=s.CommandResultSerializer)
    @action(detail=True, methods=["post"])
    def commands(self, request, pk=None):
        """Queue a command: home, jog, set_temperature, fan, gcode (operators) or emergency_stop."""
        machine = self.get_object()
        serializer = s.CommandSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        command = services.send_command(request.user, machine, data.pop("command"), **data)
        return Response(s.CommandResultSerializer(command).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(methods=["GET"], responses=s.JobSerializer(many=True))  # a page of the queue
    @extend_schema(methods=["POST"], request={"multipart/form-data": s.JobUploadSerializer},
                   responses={201: s.JobSerializer})
    @action(detail=True, methods=["get", "post"])
    def jobs(self, request, pk=None):
        """The machine's job queue (GET); upload a G-code file into it (POST, multipart field ``file``)."""
        machine = self.get_object()
        if request.method == "GET":
            return self.lean_rows(machine.jobs.select_related("user").order_by("position", "id"), s.JobSerializer,
                                  lean_fields=JOB_FIELDS)
        services.require_driver(request.user, machine)  # who may drive is said before what to fix in the upload
        serializer = s.JobUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.upload_job(request.user, machine, serializer.validated_data["file"],
                                  name=serializer.validated_data.get("name", ""),
                                  task=serializer.validated_data.get("task"))
        return Response(s.JobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[
        OpenApiParameter("from", OpenApiTypes.DATETIME, description="Start (default: an hour before 'to')."),
        OpenApiParameter("to", OpenApiTypes.DATETIME, description="End, after 'from' (default: now)."),
        OpenApiParameter("resolution", str, enum=["raw", "minute"], description="raw (default) or minute.")],
        responses=inline_serializer("MachineTelemetry", {
            "machine": serializers.IntegerField(), "resolution": serializers.CharField(),
            "samples": serializers.ListField(child=serializers.DictField())}))
    @action(detail=True, methods=["get"])
    def telemetry(self, request, pk=None):
        """Stored readings between ``from`` and ``to`` (default the last hour) at ``resolution`` raw or minute."""
        machine = self.get_object()
        params = _params(request, s.TelemetryQuerySerializer, {"from": "start", "to": "end"})
        samples = services.series(machine, params.get("start"), params.get("end"), params["resolution"])
        return Response({"machine": machine.pk, "resolution": params["resolution"], "samples": samples})


class JobViewSet(LeanListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Jobs of every machine; start, pause, resume and cancel go through the job services."""

    permission_classes = [roles_required(read=MEMBER, write=MEMBER)]
    serializer_class = s.JobSerializer
    lean_list = True
    lean_fields = JOB_FIELDS
    queryset = Job.objects.select_related("user")
    filterset_fields = ["machine", "status", "user", "task"]
    ordering_fields = ["position", "created_at", "started_at"]
    ordering = ["-created_at"]

    def _do(self, service):
        job = service(self.request.user, self.get_object())
        return Response(s.JobSerializer(Job.objects.select_related("user").get(pk=job.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Start a queued job."""
        return self._do(services.start_job)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        """Pause a running job."""
        return self._do(services.pause_job)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """Resume a paused job (an interrupted one: operators)."""
        return self._do(services.resume_job)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a job."""
        return self._do(services.cancel_job)


class SafetyEventViewSet(LeanListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Safety events: members read them, operators acknowledge and resolve them."""

    permission_classes = [roles_required(read=MEMBER, write=OPERATOR)]
    serializer_class = s.SafetyEventSerializer
    lean_list = True
    queryset = SafetyEvent.objects.all()
    filterset_fields = ["machine", "level", "status", "kind"]
    ordering_fields = ["created_at", "level"]
    ordering = ["-created_at", "-id"]

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Say the event is seen and being dealt with."""
        event = services.acknowledge_safety_event(request.user, self.get_object())
        return Response(s.SafetyEventSerializer(event).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Close the event."""
        return Response(s.SafetyEventSerializer(services.resolve_safety_event(request.user, self.get_object())).data)


class EmergencyStopAllView(APIView):
    """Stop every connected machine at once (operators)."""

    permission_classes = [roles_required(read=OPERATOR, write=OPERATOR)]

    @extend_schema(request=s.StopAllSerializer, responses=s.CommandResultSerializer(many=True))
    def post(self, request):
        serializer = s.StopAllSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        commands = services.emergency_stop_all(request.user, serializer.validated_data.get("reason", ""))
        return Response(s.CommandResultSerializer(commands, many=True).data, status=status.HTTP_202_ACCEPTED)
