"""``/api/inventory/`` routes."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import stock_views, views

router = DefaultRouter()
router.register("device-types", views.DeviceTypeViewSet, basename="inventory-device-type")
router.register("manufacturers", views.ManufacturerViewSet, basename="inventory-manufacturer")
router.register("tags", views.TagViewSet, basename="inventory-tag")
router.register("locations", views.LocationViewSet, basename="inventory-location")
router.register("assets", views.AssetViewSet, basename="inventory-asset")
router.register("checkouts", views.CheckoutViewSet, basename="inventory-checkout")
router.register("maintenance", views.MaintenanceViewSet, basename="inventory-maintenance")
router.register("materials", stock_views.MaterialViewSet, basename="inventory-material")
router.register("movements", stock_views.MovementViewSet, basename="inventory-movement")

labels = [
    path(f"{prefix}/<int:pk>/label.<str:fmt>", viewset.as_view({"get": "label"}), name=f"inventory-{prefix}-label")
    for prefix, viewset in (("assets", views.AssetViewSet), ("materials", stock_views.MaterialViewSet),
                            ("locations", views.LocationViewSet))
]

exports = [
    path(f"{prefix}/export.csv", viewset.as_view({"get": "export"}), name=f"inventory-{prefix}-export")
    for prefix, viewset in (("assets", views.AssetViewSet), ("materials", stock_views.MaterialViewSet),
                            ("movements", stock_views.MovementViewSet))
]

urlpatterns = [
    *labels,
    *exports,
    path("low-stock/", stock_views.MaterialViewSet.as_view({"get": "low_stock"}), name="inventory-low-stock"),
    path("stats/", stock_views.StatsView.as_view(), name="inventory-stats"),
    path("", include(router.urls)),
]
