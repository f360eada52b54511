"""Scheduler API: devices, bookings and their decisions. Reads filter here; every write calls a service."""
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import SearchFilter
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import roles_required
from accounts.roles import MEMBER, OPERATOR, VIEWER
from core.api.filters import FilterBackend
from core.api.lean import Computed, LeanListMixin
from core.api.mixins import csv_response
from core.api.viewsets import ServiceModelViewSet, ServiceWritesMixin

from .. import queries, services
from ..models import Booking, BookingSeries, Device, Favourite
from . import serializers as s
from .filters import BookingFilter, DeviceFilter


class DeviceViewSet(LeanListMixin, ServiceModelViewSet):
    """Bookable devices: everyone with a role reads, operators add and change them.

    ``search`` looks in the name and description; ``DeviceFilter`` has the other filters.
    """

    serializer_class = s.DeviceSerializer
    lean_list = True
    lean_actions = ("maintenance",)
    filterset_class = DeviceFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "status", "created_at"]

    def get_queryset(self):
        return Device.objects.select_related("device_type", "owner_group").prefetch_related("qualified_users")

    def create_with(self, user, data):
        return services.create_device(user, **data)

    def update_with(self, user, instance, data):
        return services.update_device(user, instance, **data)

    def delete_with(self, user, instance):
        services.delete_device(user, instance)

    @extend_schema(parameters=[
        OpenApiParameter("from", OpenApiTypes.DATETIME, required=True, description="Start of the range"),
        OpenApiParameter("to", OpenApiTypes.DATETIME, required=True,
                         description="End of the range: after 'from', at most 93 days on")])
    @action(detail=True, methods=["get"])
    def availability(self, request, pk=None):
        """Busy intervals and maintenance windows of the device between ``from`` and ``to``."""
        device = self.get_object()
        names = {"from": "start", "to": "end"}
        query = s.RangeQuerySerializer(data={names[k]: v for k, v in request.query_params.items() if k in names})
        query.is_valid(raise_exception=True)
        return Response(queries.availability(device, query.validated_data["start"], query.validated_data["end"]))

    @extend_schema(methods=["GET"], request=None, responses=s.MaintenanceWindowSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.MaintenanceWindowSerializer,
                   responses={201: s.MaintenanceWindowSerializer})
    @action(detail=True, methods=["get", "post"])
    def maintenance(self, request, pk=None):
        """The device's maintenance windows not yet over (GET); schedule one (POST, operators)."""
        device = self.get_object()
        if request.method == "GET":
            windows = device.maintenance_windows.filter(end__gt=timezone.now()).order_by("start", "id")
            return self.lean_rows(windows, s.MaintenanceWindowSerializer)
        serializer = s.MaintenanceWindowSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        window = services.add_maintenance(request.user, device, **serializer.validated_data)
        return Response(s.MaintenanceWindowSerializer(window).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None},
                   parameters=[OpenApiParameter("window_id", int, OpenApiParameter.PATH)])
    @action(detail=True, methods=["delete"], url_path=r"maintenance/(?P<window_id>[^/.]+)")
    def cancel_maintenance(self, request, pk=None, window_id=None):
        """Call off one maintenance window (operators)."""
        services.cancel_maintenance(request.user, self.get_object(), window_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


BOOKING_SEARCH = ["device__name", "user__username", "comment"]


def booking_queryset():
    """Bookings with everything the serializer shows, in a fixed number of queries."""
    return Booking.objects.select_related("device", "user", "decided_by").prefetch_related(
        Prefetch("collaborators", queryset=get_user_model().objects.only("pk"))
    )


class BookingViewSet(LeanListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Bookings: everyone with a role sees the lab's calendar; members book; operators decide.

    ``search`` looks in the device name, the booker's username and the comment.
    """

    permission_classes = [roles_required(read=VIEWER, write=MEMBER)]
    serializer_class = s.BookingSerializer
    lean_list = True
    # ``str(user)``: the display name, else the username.
    lean_fields = {"user_name": Computed(lambda shown, username: shown or username,
                                         ("user__display_name", "user__username"))}
    filterset_class = BookingFilter
    search_fields = BOOKING_SEARCH
    ordering_fields = ["start", "end", "created_at", "status"]
    ordering = ["start", "id"]

    def get_queryset(self):
        return booking_queryset()

    def get_serializer_class(self):
        return s.BookingRequestSerializer if self.action == "create" else s.BookingSerializer

    @extend_schema(request=s.BookingRequestSerializer, responses={201: s.BookingSerializer(many=True)})
    def create(self, request):
        """Request one device (``device``) or a group (``devices``); the server decides each status.

        Answers the booking for one device, or ``{"group_id", "bookings"}`` for a group (also for a
        device that books its linked devices with it).
        """
        serializer = s.BookingRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        common = {"comment": data["comment"], "collaborator_ids": data["collaborators"]}
        if "device" in data:
            booking = services.create_booking(request.user, data["device"], data["start"], data["end"], **common)
            if not booking.group_id:
                return Response(self._show(booking), status=status.HTTP_201_CREATED)
            # The device books its linked devices: the answer is the group, as for ``devices``.
            bookings = list(Booking.objects.filter(group_id=booking.group_id).order_by("device_id"))
        else:
            bookings = services.create_group(request.user, data["devices"], data["start"], data["end"], **common)
        group = bookings[0].group_id
        return Response({"group_id": str(group) if group else None,
                         "bookings": [self._show(b) for b in bookings]}, status=status.HTTP_201_CREATED)

    def _show(self, booking):
        return s.BookingSerializer(booking_queryset().get(pk=booking.pk)).data

    @extend_schema(request=s.ReasonSerializer, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Confirm a pending or conflicting booking (operators); 409 when a confirmed one overlaps."""
        reason = self._reason(request)
        return Response(self._show(services.approve_booking(request.user, pk, reason)))

    @extend_schema(request=s.ReasonSerializer, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Turn a pending or conflicting booking down (operators)."""
        return Response(self._show(services.reject_booking(request.user, pk, self._reason(request))))

    @extend_schema(request=s.ReasonSerializer, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Withdraw one's own booking."""
        return Response(self._show(services.cancel_booking(request.user, pk, self._reason(request))))

    @extend_schema(request=s.ExtendSerializer, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Move the end later (owner or collaborator); 409 when the extra time is taken."""
        serializer = s.ExtendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(self._show(services.extend_booking(request.user, pk, serializer.validated_data["end"])))

    @extend_schema(request=s.RebookSerializer, responses={201: s.BookingSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def rebook(self, request, pk=None):
        """Book the same device(s) again on another day with the same times and lengths."""
        serializer = s.RebookSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        bookings = services.rebook(request.user, pk, serializer.validated_data["date"])
        return Response([self._show(b) for b in bookings], status=status.HTTP_201_CREATED)

    @extend_schema(request=s.BulkDecideSerializer, responses=s.BulkDecideAnswerSerializer)
    @action(detail=False, methods=["post"], url_path="bulk-decide")
    def bulk_decide(self, request):
        """Approve or reject many bookings at once; answers each one's outcome."""
        serializer = s.BulkDecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return Response({"results": services.bulk_decide(request.user, data["ids"], data["decision"],
                                                         data["reason"])})

    @staticmethod
    def _reason(request):
        serializer = s.ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data["reason"]


class GroupActionView(APIView):
    """``groups/<gid>/cancel/`` and ``groups/<gid>/extend/``: act on every booking of a multi-device request."""

    permission_classes = [roles_required(read=MEMBER, write=MEMBER)]
    verb = "cancel"

    def get_serializer(self, *args, **kwargs):
        return (s.ExtendSerializer if self.verb == "extend" else s.ReasonSerializer)(*args, **kwargs)

    @extend_schema(responses=s.BookingSerializer(many=True))
    def post(self, request, group_id):
        """Cancel (owner) or extend (owner or collaborator) the whole group."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if self.verb == "extend":
            bookings = services.extend_group(request.user, group_id, serializer.validated_data["end"])
        else:
            bookings = services.cancel_group(request.user, group_id, serializer.validated_data["reason"])
        shown = booking_queryset().filter(pk__in=[b.pk for b in bookings])
        return Response(s.BookingSerializer(shown, many=True).data)


class SeriesViewSet(LeanListMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Recurring requests: members create them; each sees their own."""

    permission_classes = [roles_required(read=MEMBER, write=MEMBER)]
    serializer_class = s.BookingSeriesSerializer
    lean_list = True

    def get_queryset(self):
        """The caller's own series."""
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return BookingSeries.objects.none()
        return BookingSeries.objects.filter(user=self.request.user)

    @extend_schema(request=s.SeriesRequestSerializer)
    def create(self, request):
        """Request every occurrence of an RRULE; the answer lists which were booked and which were refused."""
        serializer = s.SeriesRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        series, outcomes = services.create_series(request.user, d["device"], d["start"], d["end"], d["rrule"],
                                                  comment=d["comment"], collaborator_ids=d["collaborators"])
        return Response({
            "series": s.BookingSeriesSerializer(series).data,
            "booked": [o for o in outcomes if o["booked"]],
            "refused": [o for o in outcomes if not o["booked"]],
        }, status=status.HTTP_201_CREATED)


class CheckConflictsView(APIView):
    """For proposed device + range pairs: the clashes per device and day, typed booking or maintenance."""

    permission_classes = [roles_required(read=VIEWER, write=VIEWER)]
    serializer_class = s.CheckConflictsSerializer

    @extend_schema(request=s.CheckConflictsSerializer, responses=dict)
    def post(self, request):
        """Report, without booking anything."""
        serializer = s.CheckConflictsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        items = serializer.validated_data["items"]
        devices = Device.objects.in_bulk({item["device"] for item in items})
        missing = sorted({item["device"] for item in items} - set(devices))
        if missing:
            return Response({"error": "not_found", "detail": f"There is no device {missing[0]}.", "fields": {}},
                            status=status.HTTP_404_NOT_FOUND)
        proposed = [(devices[item["device"]], item["start"], item["end"]) for item in items]
        return Response({"devices": queries.conflict_report(proposed)})


class FavouriteViewSet(LeanListMixin, ServiceWritesMixin, mixins.ListModelMixin, mixins.CreateModelMixin,
                       mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's favourite devices; ``DELETE favourites/<device id>/`` drops one.

    Adding a device again is harmless (the answer is the favourite already kept).
    """

    permission_classes = [roles_required(read=VIEWER, write=VIEWER)]
    serializer_class = s.FavouriteSerializer
    lean_list = True
    lookup_field = "device"
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        """Only the caller's favourites."""
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Favourite.objects.none()
        return Favourite.objects.filter(user=self.request.user).select_related("device")

    def create_with(self, user, data):
        return services.add_favourite(user, data["device"])

    def delete_with(self, user, instance):
        services.remove_favourite(user, instance.device)


class BookingExportView(GenericAPIView):
    """``export.csv``: the filtered booking list as a CSV download."""

    permission_classes = [roles_required(read=VIEWER, write=OPERATOR)]
    queryset = Booking.objects.select_related("device", "user", "decided_by")
    filter_backends = [FilterBackend, SearchFilter]
    filterset_class = BookingFilter
    search_fields = BOOKING_SEARCH
    pagination_class = None

    @extend_schema(responses={(200, "text/csv"): str})
    def get(self, request):
        """Stream bookings (same filters and search as the list) as CSV."""
        qs = self.filter_queryset(self.get_queryset())
        rows = (
            [b.pk, b.device.name, b.user.get_username(), b.start.isoformat(), b.end.isoformat(), b.status,
             b.group_id or "", b.decided_by.get_username() if b.decided_by else "", b.reason, b.comment]
            for b in qs.order_by("start", "id").iterator(chunk_size=500)
        )
        header = ["id", "device", "user", "start", "end", "status", "group", "decided_by", "reason", "comment"]
        return csv_response("bookings.csv", header, rows)
