from django.urls import path

from . import views

urlpatterns = [
    path("health", views.health_view, name="health"),
    path("", views.dashboard, name="dashboard"),
    path("dashboard/live/", views.dashboard_part, name="dashboard-live"),
]
