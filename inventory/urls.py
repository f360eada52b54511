"""Staff pages under ``/inventory/``."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.asset_list, name="assets"),
    path("assets/<int:pk>/", views.asset_detail, name="asset"),
    path("materials/", views.material_list, name="materials"),
    path("materials/<int:pk>/", views.material_detail, name="material"),
    path("locations/<int:pk>/", views.location_detail, name="location"),
    path("labels/", views.label_sheet, name="labels"),
    path("scan/", views.scan, name="scan"),
]
