"""List filters of the projects API."""
import django_filters

from core.api.filters import FilterSet

from ..models import Project, Task


class ProjectFilter(FilterSet):
    tag = django_filters.CharFilter(method="filter_tag", label="Projects carrying this tag")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Only projects I own")

    class Meta:
        model = Project
        fields = ["status", "team", "owner"]

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags__icontains=f'"{value.strip().lower()}"')

    def filter_mine(self, queryset, name, value):
        user = self.request.user
        return queryset.filter(owner=user) if value else queryset.exclude(owner=user)


class TaskFilter(FilterSet):
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lt")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    top_level = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull",
                                             label="Only tasks without a parent")
    tag = django_filters.CharFilter(method="filter_tag", label="Tasks carrying this tag")

    class Meta:
        model = Task
        fields = ["status", "priority", "assignee", "parent"]

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags__icontains=f'"{value.strip().lower()}"')
