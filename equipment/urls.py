"""Staff pages of the equipment app, mounted at ``/equipment/``."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.machines, name="machines"),
    path("<int:pk>/", views.machine, name="machine"),
    path("<int:pk>/do/<str:verb>/", views.machine_action, name="machine-action"),
    path("<int:pk>/upload/", views.upload, name="upload"),
    path("jobs/<int:pk>/<str:verb>/", views.job_action, name="job-action"),
    path("stop-all/", views.stop_all, name="stop-all"),
]
