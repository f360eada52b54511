from django.urls import path

from . import views

urlpatterns = [
    path("system/", views.system, name="system"),
    path("voice/", views.voice, name="voice"),
]
