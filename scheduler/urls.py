"""Staff pages of the scheduler, mounted at ``/scheduler/``."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("grid/", views.calendar_grid, name="calendar-grid"),
    path("mine/", views.my_bookings, name="my-bookings"),
    path("bookings/<int:pk>/approve/", views.decide, {"decision": "approve"}, name="approve"),
    path("bookings/<int:pk>/reject/", views.decide, {"decision": "reject"}, name="reject"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
]
