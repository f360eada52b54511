"""Discovery API: serial ports and their probe, devices announced on the broker and their adoption."""
import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import roles_required
from accounts.roles import OPERATOR
from core.api.filters import FilterSet
from core.api.lean import LeanListMixin

from ..discovery.serial_ports import probe_port, serial_ports
from ..models import DiscoveredDevice
from ..services.discovery import adopt_as_room_device, adopt_device, find_room, ignore_device, scan_for_devices
from . import serializers as s

OPERATORS = [roles_required(read=OPERATOR, write=OPERATOR)]



class SerialPortsView(APIView):
    """Serial ports with USB vendor/product ids and the machine configured on each."""

    permission_classes = OPERATORS

    @extend_schema(responses=dict)
    def get(self, request):
        return Response({"results": serial_ports()})


class ProbeView(APIView):
    """Ask a port which firmware answers (M115, then $I); refused for a port a machine holds."""

    permission_classes = OPERATORS

    @extend_schema(request=s.ProbeSerializer, responses=dict)
    def post(self, request):
        serializer = s.ProbeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(probe_port(serializer.validated_data["port"], serializer.validated_data["baud"]))


class DiscoveredDeviceFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=DiscoveredDevice.Status.choices)
    source = django_filters.ChoiceFilter(choices=DiscoveredDevice.Source.choices)

    class Meta:
        model = DiscoveredDevice
        fields = ["status", "source"]


class DiscoveredDeviceViewSet(LeanListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              viewsets.GenericViewSet):
    """Devices that announced themselves on the broker; operators adopt them as machines or ignore them."""

    permission_classes = OPERATORS
    serializer_class = s.DiscoveredDeviceSerializer
    lean_list = True
    queryset = DiscoveredDevice.objects.all()
    filterset_class = DiscoveredDeviceFilter
    search_fields = ["name", "key", "topic_prefix"]
    ordering_fields = ["last_seen_at", "name", "created_at"]

    @extend_schema(request=s.ScanSerializer, responses=inline_serializer(
        "DiscoveryScanAnswer", {"announcements": serializers.IntegerField()}))
    @action(detail=False, methods=["post"])
    def scan(self, request):
        serializer = s.ScanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"announcements": scan_for_devices(request.user, serializer.validated_data["seconds"])})

    @extend_schema(request=s.AdoptSerializer, responses={201: inline_serializer(
        "AdoptedMachine", {"machine": serializers.IntegerField(), "name": serializers.CharField()})})
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        serializer = s.AdoptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        machine = adopt_device(request.user, self.get_object(), **serializer.validated_data)
        return Response({"machine": machine.pk, "name": machine.name}, status=201)

    @extend_schema(request=s.AdoptInRoomSerializer, responses={201: inline_serializer(
        "AdoptedRoomDevice", {"room_device": serializers.IntegerField(), "name": serializers.CharField(),
                              "room": serializers.IntegerField()})})
    @action(detail=True, methods=["post"], url_path="adopt-room")
    def adopt_room(self, request, pk=None):
        """Adopt the device as a room's light, fan, air filter or sensor (operators; the room chosen)."""
        serializer = s.AdoptInRoomSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["room"] = find_room(data["room"])
        found = adopt_as_room_device(request.user, self.get_object(), **data)
        return Response({"room_device": found.pk, "name": found.name, "room": found.room_id}, status=201)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def ignore(self, request, pk=None):
        return Response(s.DiscoveredDeviceSerializer(ignore_device(request.user, self.get_object())).data)
