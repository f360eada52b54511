"""PDU API: PDUs and their outlets, switching outlets, reading states. Credentials are write-only."""
import django_filters
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import roles_required
from accounts.roles import MEMBER, OPERATOR, VIEWER
from core.api.filters import FilterSet
from core.api.lean import Column, LeanListMixin, related_rows
from core.api.viewsets import ServiceModelViewSet

from .. import services
from ..models import PDU, Device, Outlet


class OutletSerializer(serializers.ModelSerializer):
    devices = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Outlet
        fields = ["number", "name", "mode", "devices", "state", "state_checked_at"]
        read_only_fields = ["state", "state_checked_at"]


class OutletSetSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=1000)
    name = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    mode = serializers.ChoiceField(choices=Outlet.Mode.choices, default=Outlet.Mode.MANUAL)
    devices = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)


class SwitchSerializer(serializers.Serializer):
    delay = serializers.FloatField(required=False, min_value=0, help_text="Seconds between off and on (cycle).")


class PDUSerializer(serializers.ModelSerializer):
    """A PDU; ``password`` and ``privacy_password`` (SNMP v3) may be written, never read (they are stored sealed)."""

    password = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=200,
                                     style={"input_type": "password"})
    privacy_password = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=200,
                                             style={"input_type": "password"},
                                             help_text="SNMP v3 privacy (encryption) passphrase.")
    outlets = OutletSerializer(many=True, read_only=True)
    has_password = serializers.SerializerMethodField()
    has_privacy_password = serializers.SerializerMethodField()

    class Meta:
        model = PDU
        fields = ["id", "name", "driver", "address", "username", "password", "has_password", "privacy_password",
                  "has_privacy_password", "options", "outlets", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def get_has_password(self, pdu) -> bool:
        return bool(pdu.password_sealed)

    def get_has_privacy_password(self, pdu) -> bool:
        return bool(pdu.privacy_password_sealed)


class PDUFilter(FilterSet):
    """``?driver=raritan``; ``?device=<id>`` keeps PDUs with an outlet feeding that device."""

    device = django_filters.NumberFilter(field_name="outlets__devices", distinct=True)

    class Meta:
        model = PDU
        fields = ["driver"]


def pdu_queryset():
    """PDUs with their outlets and the devices they feed, in a fixed number of queries."""
    return PDU.objects.prefetch_related(
        Prefetch("outlets", queryset=Outlet.objects.prefetch_related(
            Prefetch("devices", queryset=Device.objects.only("pk")))))


class PDUViewSet(LeanListMixin, ServiceModelViewSet):
    """PDUs: everyone with a role reads them and their outlets' recorded states; operators set them up.

    Members switch an outlet when they hold a confirmed booking of every device on it booked
    now (``outlets/<n>/on|off|cycle/``); ``status/`` asks the PDU and updates the record.
    ``search`` looks in the name and address.
    """

    permission_classes = [roles_required(read=VIEWER, write=OPERATOR)]
    serializer_class = PDUSerializer
    lean_list = True
    lean_fields = {
        "has_password": Column(ExpressionWrapper(~Q(password_sealed=""), output_field=BooleanField())),
        "has_privacy_password": Column(ExpressionWrapper(~Q(privacy_password_sealed=""), output_field=BooleanField())),
        "outlets": related_rows(lambda view: Outlet.objects.order_by("number"), "pdu_id", OutletSerializer),
    }
    filterset_class = PDUFilter
    search_fields = ["name", "address"]
    ordering_fields = ["name", "driver", "created_at"]

    def get_permissions(self):
        if self.action in ("switch", "status"):
            return [roles_required(read=MEMBER, write=MEMBER)()]
        return super().get_permissions()

    def get_queryset(self):
        return pdu_queryset()

    def create_with(self, user, data):
        return services.create_pdu(user, **data)

    def update_with(self, user, instance, data):
        return services.update_pdu(user, instance, **data)

    def delete_with(self, user, instance):
        services.delete_pdu(user, instance)

    def _show(self, pk):
        return PDUSerializer(pdu_queryset().get(pk=pk)).data

    @extend_schema(request=OutletSetSerializer, responses=PDUSerializer)
    @action(detail=True, methods=["post"])
    def outlets(self, request, pk=None):
        """Add or change one outlet: number, name, mode and the devices it feeds (operators)."""
        pdu = self.get_object()
        data = OutletSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.set_outlet(request.user, pdu, number=values["number"], name=values["name"], mode=values["mode"],
                            device_ids=values["devices"])
        return Response(self._show(pdu.pk))

    @extend_schema(operation_id="scheduler_pdus_outlet_switch", request=SwitchSerializer, responses=OutletSerializer,
                   parameters=[OpenApiParameter("number", int, OpenApiParameter.PATH),
                               OpenApiParameter("verb", str, OpenApiParameter.PATH, enum=["on", "off", "cycle"])])
    @action(detail=True, methods=["post"], url_path=r"outlets/(?P<number>[0-9]+)/(?P<verb>on|off|cycle)")
    def switch(self, request, pk=None, number=None, verb=None):
        """Switch one outlet; the answer is the state the PDU reported. 502 when the PDU fails."""
        pdu = self.get_object()
        data = SwitchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outlet = services.switch_outlet(request.user, pdu, number, verb, delay=data.validated_data.get("delay"))
        return Response(OutletSerializer(outlet).data)

    @extend_schema(request=None, responses=OutletSerializer(many=True))
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Ask the PDU for every outlet's state now (members); the record follows what it reports."""
        outlets = services.read_pdu_status(request.user, self.get_object())
        return Response(OutletSerializer(outlets, many=True).data)



