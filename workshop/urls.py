from django.urls import path

from . import views, views_discovery, views_rooms

urlpatterns = [
    path("system/", views.system, name="system"),
    path("voice/", views.voice, name="voice"),
    path("discovery/", views_discovery.discovery, name="discovery"),
    path("rooms/", views_rooms.rooms, name="rooms"),
    path("rooms/<int:pk>/", views_rooms.room, name="room"),
]
