"""``/api/equipment/`` routes."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("machines", views.MachineViewSet, basename="machine")
router.register("jobs", views.JobViewSet, basename="job")
router.register("safety-events", views.SafetyEventViewSet, basename="safety-event")

urlpatterns = [
    path("emergency-stop/", views.EmergencyStopAllView.as_view(), name="emergency-stop"),
    path("", include(router.urls)),
]
