"""List filters of the meetings API."""
import django_filters
from django.utils import timezone

from core.api.filters import FilterSet

from ..models import ActionItem, Meeting


class MeetingFilter(FilterSet):
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")
    attendee = django_filters.NumberFilter(field_name="attendees__user", distinct=True)

    class Meta:
        model = Meeting
        fields = ["kind", "status", "project_id", "analysis_status"]


class ActionItemFilter(FilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue", help_text="true: open items past their due day.")
    due_before = django_filters.DateFilter(field_name="due", lookup_expr="lte")

    class Meta:
        model = ActionItem
        fields = ["meeting", "status", "priority", "owner_user"]

    def filter_overdue(self, queryset, name, value):
        late = {"status": ActionItem.Status.OPEN, "due__lt": timezone.localdate()}
        return queryset.filter(**late) if value else queryset.exclude(**late)
