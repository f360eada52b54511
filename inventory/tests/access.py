"""Access rows for the inventory API (see core.testing)."""
from core.testing import Row, allowed_from


def _material(user):
    from .factories import MaterialFactory

    return MaterialFactory().pk


_last = {}


def _stocked_material(user):
    """A material with 10 units on a shelf; the shelf is kept for the row's body."""
    from accounts.tests.factories import UserFactory
    from inventory import services

    from .factories import LocationFactory, MaterialFactory

    material, shelf = MaterialFactory(), LocationFactory(kind="shelf")
    services.receive_stock(UserFactory(role="operator"), material, "10", location=shelf)
    _last["shelf"] = shelf.pk
    return material


def _asset(user):
    from .factories import AssetFactory

    return AssetFactory().pk


def _location(user):
    from .factories import LocationFactory

    return LocationFactory().pk


def material_url(action):
    def url(user):
        return f"/api/inventory/materials/{_stocked_material(user).pk}/{action}/"

    url.__name__ = f"materials_{action}"
    return url


def asset_url(suffix):
    def url(user):
        return f"/api/inventory/assets/{_asset(user)}/{suffix}"

    url.__name__ = f"assets_{suffix.strip('/').replace('.', '_').replace('-', '_') or 'detail'}"
    return url


def attachment_download(user):
    """The download route of a file an operator attached to a new asset."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.tests.factories import UserFactory
    from inventory import services

    from .factories import AssetFactory

    asset = AssetFactory()
    attachment = services.add_attachment(UserFactory(role="operator"), asset,
                                         SimpleUploadedFile("manual.pdf", b"%PDF-1.4", content_type="application/pdf"))
    return f"/api/inventory/assets/{asset.pk}/attachments/{attachment.pk}/"


def location_url(suffix):
    def url(user):
        return f"/api/inventory/locations/{_location(user)}/{suffix}"

    url.__name__ = f"locations_{suffix.strip('/').replace('.', '_') or 'detail'}"
    return url


def material_detail(suffix):
    def url(user):
        return f"/api/inventory/materials/{_material(user)}/{suffix}"

    url.__name__ = f"materials_{suffix.strip('/').replace('.', '_') or 'detail'}"
    return url


def _receive_body(user):
    return {"quantity": "1", "location": _last["shelf"]}


def _stocktake_body(user):
    return {"counted": "9", "location": _last["shelf"]}


def _transfer_body(user):
    from .factories import LocationFactory

    return {"quantity": "1", "from_location": _last["shelf"], "to_location": LocationFactory(kind="shelf").pk}


def _device_type_body(user):
    from .factories import DeviceTypeFactory

    return {"name": "Imported", "device_type": DeviceTypeFactory().pk}


def _maintenance_body(user):
    return {"asset": _asset(user), "summary": "Cleaned fans", "cost": "10.00"}


def _bulk_body(user):
    return {"ids": [_asset(user)], "status": "spare"}


VIEW = allowed_from("viewer")
OPERATE = allowed_from("operator", ok=201)
MEMBER_WRITES = allowed_from("member", ok=201)

ACCESS = [
    *[Row("GET", f"/api/inventory/{name}/", VIEW) for name in (
        "device-types", "manufacturers", "tags", "locations", "assets", "checkouts", "checkouts/overdue",
        "maintenance", "materials", "movements", "low-stock", "stats", "materials/low-stock")],
    Row("GET", "/api/inventory/assets/export.csv", VIEW),
    Row("GET", "/api/inventory/materials/export.csv", VIEW),
    Row("GET", "/api/inventory/movements/export.csv", VIEW),
    Row("GET", asset_url(""), VIEW),
    Row("GET", asset_url("history/"), VIEW),
    Row("GET", asset_url("attachments/"), VIEW),
    Row("GET", attachment_download, VIEW),
    Row("GET", asset_url("maintenance/"), VIEW),
    Row("POST", asset_url("maintenance/"), OPERATE, body={"summary": "Cleaned fans"}),
    Row("GET", asset_url("label.png"), VIEW),
    Row("GET", asset_url("label.svg"), VIEW),
    Row("GET", location_url("label.png"), VIEW),
    Row("GET", material_detail("label.svg"), VIEW),
    Row("POST", "/api/inventory/manufacturers/", OPERATE, body=lambda u: {"name": f"Maker for {u and u.pk}"}),
    Row("POST", "/api/inventory/tags/", OPERATE, body=lambda u: {"name": f"t{u and u.pk}"}),
    Row("POST", "/api/inventory/device-types/", OPERATE,
        body=lambda u: {"name": f"Switch {u and u.pk}", "category": "infra"}),
    Row("POST", "/api/inventory/locations/", OPERATE, body=lambda u: {"name": f"Lab {u and u.pk}", "kind": "site"}),
    Row("POST", "/api/inventory/assets/", OPERATE, body=_device_type_body),
    Row("POST", "/api/inventory/assets/bulk-update/", allowed_from("operator"), body=_bulk_body),
    Row("POST", "/api/inventory/maintenance/", OPERATE, body=_maintenance_body),
    Row("POST", "/api/inventory/materials/", OPERATE,
        body=lambda u: {"sku": f"S{u and u.pk}", "name": "PLA", "unit": "g"}),
    Row("POST", asset_url("check-out/"), MEMBER_WRITES, body={}),
    Row("POST", material_url("consume"), MEMBER_WRITES, body={"quantity": "1"}),
    Row("POST", material_url("allocate"), MEMBER_WRITES, body={"quantity": "1"}),
    Row("POST", material_url("receive"), OPERATE, body=_receive_body),
    Row("POST", material_url("adjust"), OPERATE, body={"change": "-1", "reason": "broken"}),
    Row("POST", material_url("transfer"), OPERATE, body=_transfer_body),
    Row("POST", material_url("stocktake"), OPERATE, body=_stocktake_body),
]
