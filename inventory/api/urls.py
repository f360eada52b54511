"""``/api/inventory/`` routes."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import stock_views, views

router = DefaultRouter()
router.register("device-types", views.DeviceTypeViewSet, basename="device-type")
router.register("manufacturers", views.ManufacturerViewSet, basename="manufacturer")
router.register("tags", views.TagViewSet, basename="tag")
router.register("locations", views.LocationViewSet, basename="location")
router.register("assets", views.AssetViewSet, basename="asset")
router.register("checkouts", views.CheckoutViewSet, basename="checkout")
router.register("maintenance", views.MaintenanceViewSet, basename="maintenance")
router.register("materials", stock_views.MaterialViewSet, basename="material")
router.register("movements", stock_views.MovementViewSet, basename="movement")

labels = [
    path(f"{prefix}/<int:pk>/label.<str:fmt>", viewset.as_view({"get": "label"}), name=f"{prefix}-label")
    for prefix, viewset in (("assets", views.AssetViewSet), ("materials", stock_views.MaterialViewSet),
                            ("locations", views.LocationViewSet))
]

exports = [
    path(f"{prefix}/export.csv", viewset.as_view({"get": "export"}), name=f"{prefix}-export")
    for prefix, viewset in (("assets", views.AssetViewSet), ("materials", stock_views.MaterialViewSet),
                            ("movements", stock_views.MovementViewSet))
]

urlpatterns = [
    *labels,
    *exports,
    path("low-stock/", stock_views.MaterialViewSet.as_view({"get": "low_stock"}), name="low-stock"),
    path("stats/", stock_views.StatsView.as_view(), name="stats"),
    path("", include(router.urls)),
]
