from django.urls import path

from . import views, views_discovery

urlpatterns = [
    path("system/", views.system, name="system"),
    path("voice/", views.voice, name="voice"),
    path("discovery/", views_discovery.discovery, name="discovery"),
]
