"""The viewset every app's API builds on: reads through the queryset, writes through services."""
from rest_framework import viewsets

from accounts.permissions import roles_required
from accounts.roles import OPERATOR, VIEWER


class ServiceWritesMixin:
    """Routes DRF's create, update and destroy to ``create_with``, ``update_with`` and ``delete_with``.

    Subclasses implement those they expose as ``(actor, validated_data)``, ``(actor, instance,
    validated_data)`` and ``(actor, instance)``; the serializer only shapes and validates input,
    so every rule stays in the service that the admin, pages, tasks and commands call too.
    A viewset that offers only some writes (a list you add to and remove from) mixes this into
    the DRF mixins it needs; a full one uses ``ServiceModelViewSet``.
    """

    def perform_create(self, serializer):
        serializer.instance = self.create_with(self.request.user, dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self.update_with(self.request.user, serializer.instance,
                                               dict(serializer.validated_data))

    def perform_destroy(self, instance):
        self.delete_with(self.request.user, instance)


class ServiceModelViewSet(ServiceWritesMixin, viewsets.ModelViewSet):
    """A ModelViewSet whose writes call services (see ``ServiceWritesMixin``): viewers read, operators write."""

    permission_classes = [roles_required(read=VIEWER, write=OPERATOR)]

    def update(self, request, *args, **kwargs):
        """Change through ``update_with``; the answer is the row as the list shows it."""
        response = super().update(request, *args, **kwargs)
        # Re-read through the list queryset so annotations and prefetches are fresh.
        instance = self.get_queryset().get(pk=kwargs[self.lookup_field if self.lookup_field in kwargs else "pk"])
        response.data = self.get_serializer(instance).data
        return response
