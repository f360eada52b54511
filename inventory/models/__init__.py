"""Inventory tables: catalogue, locations, assets and the stock ledger."""
from .assets import Asset, AssetAttachment, Checkout, MaintenanceRecord
from .catalog import DeviceType, Manufacturer, Tag
from .locations import Location
from .stock import Material, StockItem, StockMovement

__all__ = [
    "Asset", "AssetAttachment", "Checkout", "DeviceType", "Location", "MaintenanceRecord", "Manufacturer",
    "Material", "StockItem", "StockMovement", "Tag",
]
