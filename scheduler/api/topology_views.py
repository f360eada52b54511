"""Topology API: links between device ports, resolving an abstract topology, booking a candidate as a group."""
import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import roles_required
from accounts.roles import MEMBER, OPERATOR, VIEWER
from core.api.filters import FilterSet
from core.api.lean import LeanListMixin, related_rows
from core.api.viewsets import ServiceWritesMixin

from .. import topology
from ..models import DeviceLink, LinkEnd
from ..queries_recommend import recommend, wanted_type
from ..services.topology import book_topology, create_link, delete_link
from .serializers import BookingSerializer


class LinkEndSerializer(serializers.ModelSerializer):
    class Meta:
        model = LinkEnd
        fields = ["device", "port"]


class PortLinkSerializer(serializers.ModelSerializer):
    """A link as listed; created from ``a_device``/``a_port``/``b_device``/``b_port``."""

    ends = LinkEndSerializer(many=True, read_only=True)
    a_device = serializers.IntegerField(write_only=True, min_value=1)
    a_port = serializers.CharField(write_only=True, max_length=60)
    b_device = serializers.IntegerField(write_only=True, min_value=1)
    b_port = serializers.CharField(write_only=True, max_length=60)

    class Meta:
        model = DeviceLink
        fields = ["id", "link_type", "note", "ends", "a_device", "a_port", "b_device", "b_port", "created_at"]
        read_only_fields = ["created_at"]


class LinkFilter(FilterSet):
    """``?link_type=fibre``; ``?device=<id>`` keeps links with an end on that device."""

    device = django_filters.NumberFilter(field_name="ends__device", distinct=True)

    class Meta:
        model = DeviceLink
        fields = ["link_type"]


class LinkViewSet(LeanListMixin, ServiceWritesMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Cables between device ports: everyone with a role reads them, operators record and remove them.

    ``search`` looks in the note.
    """

    permission_classes = [roles_required(read=VIEWER, write=OPERATOR)]
    serializer_class = PortLinkSerializer
    lean_list = True
    lean_fields = {"ends": related_rows(lambda view: LinkEnd.objects.order_by("id"), "link_id", LinkEndSerializer)}
    filterset_class = LinkFilter
    search_fields = ["note"]
    ordering_fields = ["id", "link_type", "created_at"]

    def get_queryset(self):
        return DeviceLink.objects.prefetch_related(Prefetch("ends", queryset=LinkEnd.objects.order_by("id")))

    def create_with(self, user, data):
        return create_link(user, data.pop("a_device"), data.pop("a_port"), data.pop("b_device"), data.pop("b_port"),
                           **data)

    def delete_with(self, user, instance):
        delete_link(user, instance)


class TopologySerializer(serializers.Serializer):
    nodes = serializers.ListField(child=serializers.DictField(), max_length=topology.MAX_NODES,
                                  help_text='[{"id": "a", "type": "Optical switch" or a device type id}]')
    edges = serializers.ListField(child=serializers.DictField(), required=False, default=list,
                                  help_text='[{"from": "a", "to": "b", "link_types": ["fibre"]}]')
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    strategy = serializers.ChoiceField(choices=topology.STRATEGIES, default="greedy")
    limit = serializers.IntegerField(min_value=1, max_value=20, default=5)


class BookTopologySerializer(TopologySerializer):
    candidate = serializers.IntegerField(min_value=0, max_value=19, default=0)
    comment = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)


class ResolveView(APIView):
    """Find free devices for an abstract topology over a window: candidates with scores, and the clashes."""

    permission_classes = [roles_required(read=VIEWER, write=VIEWER)]

    @extend_schema(request=TopologySerializer, responses={200: dict})
    def post(self, request):
        data = TopologySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        return Response(topology.resolve({"nodes": v["nodes"], "edges": v["edges"]}, v["start"], v["end"],
                                         strategy=v["strategy"], limit=v["limit"]))


class BookTopologyView(APIView):
    """Book one resolved candidate (its devices and those its paths run through) as one group (members)."""

    permission_classes = [roles_required(read=MEMBER, write=MEMBER)]

    @extend_schema(request=BookTopologySerializer, responses={201: BookingSerializer(many=True)})
    def post(self, request):
        data = BookTopologySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        bookings = book_topology(request.user, {"nodes": v["nodes"], "edges": v["edges"]}, v["start"], v["end"],
                                 candidate=v["candidate"], strategy=v["strategy"], comment=v["comment"])
        group = bookings[0].group_id
        return Response({"group_id": str(group) if group else None,
                         "bookings": BookingSerializer(bookings, many=True).data}, status=status.HTTP_201_CREATED)


class RecommendationQuery(serializers.Serializer):
    type = serializers.CharField(max_length=100, help_text="Device type id or exact name.")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class RecommendationsView(APIView):
    """``?type=&start=&end=``: devices of that type ranked by availability, reliability and fit.

    Each has its earliest free slot of the same length (next 14 days) and a 14-day forecast.
    """

    permission_classes = [roles_required(read=VIEWER, write=VIEWER)]

    @extend_schema(parameters=[RecommendationQuery], responses={200: dict})
    def get(self, request):
        query = RecommendationQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        return Response(recommend(wanted_type(v["type"]), v["start"], v["end"], user=request.user))
