"""Staff pages under ``/inventory/``."""
from django.urls import path

from . import asset_views, import_views, material_views, views

urlpatterns = [
    path("", views.asset_list, name="assets"),
    path("assets/bulk/", asset_views.bulk, name="bulk"),
    path("assets/<int:pk>/", asset_views.asset_detail, name="asset"),
    path("assets/<int:pk>/check-out/", asset_views.check_out, name="check-out"),
    path("assets/<int:pk>/check-in/", asset_views.check_in, name="check-in"),
    path("assets/<int:pk>/maintenance/", asset_views.maintenance, name="maintenance"),
    path("assets/<int:pk>/move/", asset_views.move, name="move"),
    path("assets/<int:pk>/edit/", asset_views.edit, name="edit"),
    path("assets/<int:pk>/attach/", asset_views.attach, name="attach"),
    path("checkouts/mine/", asset_views.my_checkouts, name="my-checkouts"),
    path("checkouts/overdue/", asset_views.overdue, name="overdue"),
    path("materials/", views.material_list, name="materials"),
    path("materials/<int:pk>/", material_views.material_detail, name="material"),
    path("materials/<int:pk>/part/", material_views.material_part, name="material-part"),
    path("materials/<int:pk>/<slug:action>/", material_views.stock_action, name="stock"),
    path("locations/<int:pk>/", views.location_detail, name="location"),
    path("import/", import_views.import_csv, name="import"),
    path("labels/", views.label_sheet, name="labels"),
    path("scan/", views.scan, name="scan"),
]
