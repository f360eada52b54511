"""Staff pages of the scheduler, mounted at ``/scheduler/``."""
from django.urls import path

from . import booking_views, linked_views, power_pages, queue_views, topology_pages, views

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("grid/", views.calendar_grid, name="calendar-grid"),
    path("devices/<int:pk>/", views.device_detail, name="device"),
    path("devices/<int:pk>/favourite/", views.favourite, name="favourite"),
    path("devices/<int:pk>/power/<int:pdu_id>/<int:number>/<str:verb>/", power_pages.switch, name="switch-outlet"),
    path("topology/", topology_pages.topology, name="topology"),
    path("topology/graph/", topology_pages.topology_graph, name="topology-graph"),
    path("book/", booking_views.book, name="book"),
    path("book/linked/", linked_views.linked_hint, name="linked-hint"),
    path("people/", booking_views.people, name="people"),
    path("mine/", booking_views.my_bookings, name="my-bookings"),
    path("queue/", queue_views.queue, name="queue"),
    path("bookings/<int:pk>/approve/", views.decide, {"decision": "approve"}, name="approve"),
    path("bookings/<int:pk>/reject/", views.decide, {"decision": "reject"}, name="reject"),
    path("bookings/<int:pk>/cancel/", booking_views.cancel, name="cancel"),
    path("bookings/<int:pk>/extend/", booking_views.extend, name="extend"),
    path("bookings/<int:pk>/rebook/", booking_views.rebook, name="rebook"),
]
