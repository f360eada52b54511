"""``/meetings/`` pages."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("search/", views.search, name="search"),
    path("analytics/", views.analytics, name="analytics"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/status/", views.meeting_status, name="status"),
    path("<int:pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/analyze/", views.analyze, name="analyze"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("recordings/<int:pk>/audio/", views.audio, name="audio"),
    path("recordings/<int:pk>/transcribe/", views.transcribe, name="transcribe"),
    path("items/<int:pk>/accept/", views.item_accept, name="item-accept"),
    path("items/<int:pk>/status/", views.item_status, name="item-status"),
    path("items/<int:pk>/task/", views.item_task, name="item-task"),
]
