"""``/api/meetings/`` routes."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("action-items", views.ActionItemViewSet, basename="action-item")

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("analytics/", views.AnalyticsView.as_view(), name="analytics"),
    path("", include(router.urls)),
]
