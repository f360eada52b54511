"""Every change of inventory state goes through these functions (API, admin, pages, tasks, commands)."""
from .assets import (
    add_attachment,
    add_maintenance_record,
    bulk_update_assets,
    check_in_asset,
    check_out_asset,
    create_asset,
    retire_asset,
    send_maintenance_reminders,
    update_asset,
)
from .catalog import create_catalog_item, delete_catalog_item, update_catalog_item
from .imports import import_assets, import_materials
from .locations import create_location, delete_location, update_location
from .stock import (
    adjust_stock,
    allocate_stock,
    consume_stock,
    create_material,
    receive_stock,
    release_stock,
    stocktake,
    transfer_stock,
    update_material,
)

__all__ = [
    "add_attachment", "add_maintenance_record", "adjust_stock", "allocate_stock", "bulk_update_assets",
    "check_in_asset", "check_out_asset", "consume_stock", "create_asset", "create_catalog_item",
    "create_location", "create_material", "delete_catalog_item", "delete_location", "import_assets", "import_materials",
    "receive_stock",
    "release_stock", "send_maintenance_reminders", "stocktake", "transfer_stock", "update_asset",
    "retire_asset",
    "update_catalog_item", "update_location", "update_material",
]
