"""Rooms API: room devices with their latest state; switch and dim through the room services."""
import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import roles_required
from accounts.roles import MEMBER
from core.api.filters import FilterSet
from core.api.lean import LeanListMixin

from ..models import RoomDevice
from ..services.rooms import dim_device, switch_device


class RoomDeviceSerializer(serializers.ModelSerializer):
    room_name = serializers.CharField(source="room.name", read_only=True)

    class Meta:
        model = RoomDevice
        fields = ["id", "name", "kind", "room", "room_name", "topic", "dimmable", "power", "level", "readings",
                  "online", "last_seen_at", "limits", "alerting"]


class RoomSwitchSerializer(serializers.Serializer):
    on = serializers.BooleanField()


class DimSerializer(serializers.Serializer):
    level = serializers.IntegerField(min_value=0, max_value=100)


class RoomCommandSentSerializer(serializers.Serializer):
    """What was sent to a room device: the device's id and the command (ON/OFF, or a dim level)."""

    device = serializers.IntegerField()
    sent = serializers.JSONField(help_text='"ON" or "OFF" for a switch; the level 0-100 for a dim.')


class RoomDeviceFilter(FilterSet):
    room = django_filters.NumberFilter()
    kind = django_filters.ChoiceFilter(choices=RoomDevice.Kind.choices)

    class Meta:
        model = RoomDevice
        fields = ["room", "kind"]


class RoomDeviceViewSet(LeanListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lights, fans, air filters and sensors by room; members switch and dim them."""

    permission_classes = [roles_required(read=MEMBER, write=MEMBER)]
    serializer_class = RoomDeviceSerializer
    lean_list = True
    queryset = RoomDevice.objects.select_related("room")
    filterset_class = RoomDeviceFilter
    search_fields = ["name", "room__name"]
    ordering_fields = ["name", "kind", "last_seen_at"]

    @extend_schema(request=RoomSwitchSerializer, responses=RoomCommandSentSerializer)
    @action(detail=True, methods=["post"])
    def switch(self, request, pk=None):
        serializer = RoomSwitchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        device = switch_device(request.user, self.get_object(), on=serializer.validated_data["on"])
        return Response({"device": device.pk, "sent": "ON" if serializer.validated_data["on"] else "OFF"})

    @extend_schema(request=DimSerializer, responses=RoomCommandSentSerializer)
    @action(detail=True, methods=["post"])
    def dim(self, request, pk=None):
        serializer = DimSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        device = dim_device(request.user, self.get_object(), level=serializer.validated_data["level"])
        return Response({"device": device.pk, "sent": serializer.validated_data["level"]})
