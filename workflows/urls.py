"""Workflows pages, mounted at ``/workflows/``."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("start/", views.start, name="start"),
    path("runs/<int:run_id>/", views.run_page, name="run"),
    path("runs/<int:run_id>/<str:verb>/", views.run_action, name="run-action"),
    path("agents/", views.agent_board, name="agents"),
    path("agents/<int:agent_id>/rotate-key/", views.rotate_key, name="rotate-key"),
    path("suggestions/", views.inbox, name="suggestions"),
    path("suggestions/<int:suggestion_id>/<str:verb>/", views.decide, name="decide"),
]
