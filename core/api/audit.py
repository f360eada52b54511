"""``/api/audit/``: the audit trail for operators, filterable and exportable as CSV."""
import django_filters
from rest_framework import permissions, serializers, viewsets

from core.models import AuditEntry

from .filters import FilterSet, IsoDateTimeFilter
from .lean import LeanListMixin
from .mixins import csv_response
from .pagination import CursorPagination


class CanReadAudit(permissions.BasePermission):
    """Operators and admins (they hold ``core.view_auditentry``)."""

    message = "Only operators may read the audit trail."

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm("core.view_auditentry"))


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id", "at", "actor", "actor_kind", "actor_label", "action",
            "object_type", "object_id", "object_repr", "changes", "ip", "via",
        ]


class AuditFilter(FilterSet):
    since = IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = IsoDateTimeFilter(field_name="at", lookup_expr="lt")
    field = django_filters.CharFilter(method="filter_field", label="Changed field")

    class Meta:
        model = AuditEntry
        fields = ["actor", "actor_kind", "action", "object_type", "object_id", "ip", "via"]

    def filter_field(self, queryset, name, value):
        return queryset.filter(changes__has_key=value)


CSV_COLUMNS = ["id", "at", "actor_label", "actor_kind", "action", "object_type", "object_id", "object_repr",
               "changes", "ip", "via"]


class AuditEntryViewSet(LeanListMixin, viewsets.ReadOnlyModelViewSet):
    """Every change made through a service: who, what, which fields from what to what, when, from where."""

    queryset = AuditEntry.objects.all()
    serializer_class = AuditEntrySerializer
    lean_list = True
    permission_classes = [permissions.IsAuthenticated, CanReadAudit]
    filterset_class = AuditFilter
    search_fields = ["actor_label", "object_repr", "action"]
    ordering_fields = ["at", "id", "action"]
    ordering = ["-at", "-id"]  # newest first; the cursor walks ``at``, ``id`` breaks ties
    pagination_class = CursorPagination

    def export(self, request):
        """The filtered trail as CSV (no pagination)."""
        rows = self.filter_queryset(self.get_queryset()).values_list(*CSV_COLUMNS).iterator()
        return csv_response("audit.csv", CSV_COLUMNS, rows)
