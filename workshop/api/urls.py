from django.urls import path
from rest_framework.routers import DefaultRouter

from . import cameras, discovery, rooms, views

router = DefaultRouter(trailing_slash=True)
router.register("discovery/devices", discovery.DiscoveredDeviceViewSet, basename="discovered-device")
router.register("rooms/devices", rooms.RoomDeviceViewSet, basename="room-device")
router.register("cameras/snapshots", cameras.SnapshotViewSet, basename="snapshot")
router.register("cameras", cameras.CameraViewSet, basename="camera")

urlpatterns = [
    path("system/status/", views.SystemStatusView.as_view(), name="system-status"),
    path("voice/commands/", views.VoiceCommandViewSet.as_view({"get": "list", "post": "create"}),
         name="voice-commands"),
    path("voice/commands/<int:pk>/speech/", views.VoiceAnswerSpeechView.as_view(), name="voice-speech"),
    path("discovery/serial-ports/", discovery.SerialPortsView.as_view(), name="serial-ports"),
    path("discovery/serial-ports/probe/", discovery.ProbeView.as_view(), name="serial-probe"),
    *router.urls,
]

urlpatterns += [
    path("cameras/jobs/<int:pk>/", cameras.JobVisionView.as_view(), name="job-cameras"),
    path("cameras/jobs/<int:pk>/timelapse/", cameras.JobTimelapseView.as_view(), name="job-timelapse"),
    path("cameras/timelapses/<int:pk>/video/", cameras.TimelapseVideoView.as_view(), name="timelapse-video"),
]
