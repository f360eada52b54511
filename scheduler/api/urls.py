"""Scheduler API routes, mounted at ``/api/scheduler/``."""
from django.urls import path
from rest_framework.routers import DefaultRouter

from . import ical, power_views, topology_views, views

router = DefaultRouter(trailing_slash=True)
router.register("devices", views.DeviceViewSet, basename="device")
router.register("bookings", views.BookingViewSet, basename="booking")
router.register("series", views.SeriesViewSet, basename="series")
router.register("favourites", views.FavouriteViewSet, basename="favourite")
router.register("pdus", power_views.PDUViewSet, basename="pdu")
router.register("links", topology_views.LinkViewSet, basename="link")

urlpatterns = [
    path("export.csv", views.BookingExportView.as_view(), name="export"),
    path("check-conflicts/", views.CheckConflictsView.as_view(), name="check-conflicts"),
    path("groups/<uuid:group_id>/cancel/", views.GroupActionView.as_view(verb="cancel"), name="group-cancel"),
    path("groups/<uuid:group_id>/extend/", views.GroupActionView.as_view(verb="extend"), name="group-extend"),
    path("topology/resolve/", topology_views.ResolveView.as_view(), name="topology-resolve"),
    path("topology/book/", topology_views.BookTopologyView.as_view(), name="topology-book"),
    path("recommendations/", topology_views.RecommendationsView.as_view(), name="recommendations"),
    path("ical/token/", ical.FeedTokenView.as_view(), name="ical-token"),
    path("ical/<str:token>/mine.ics", ical.UserFeedView.as_view(), name="ical-user"),
    path("ical/<str:token>/devices/<int:device_id>.ics", ical.DeviceFeedView.as_view(), name="ical-device"),
    *router.urls,
]
