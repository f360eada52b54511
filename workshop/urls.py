from django.urls import path

from . import views, views_discovery, views_rooms

urlpatterns = [
    path("system/", views.system, name="system"),
    path("voice/", views.voice, name="voice"),
    path("discovery/", views_discovery.discovery, name="discovery"),
    path("rooms/", views_rooms.rooms, name="rooms"),
    path("rooms/<int:pk>/", views_rooms.room, name="room"),
]

from . import views_cameras  # noqa: E402 - camera pages, kept apart from the lines above

urlpatterns += [
    path("cameras/machines/<int:pk>/", views_cameras.machine_cameras, name="machine-cameras"),
    path("cameras/jobs/<int:pk>/", views_cameras.job_page, name="camera-job"),
    path("cameras/<int:pk>/live.mjpg", views_cameras.live, name="camera-live"),
    path("cameras/snapshots/<int:pk>/image/", views_cameras.snapshot_image, name="snapshot-image"),
    path("cameras/timelapses/<int:pk>/video/", views_cameras.timelapse_video, name="timelapse-video"),
]
