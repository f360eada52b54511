"""CSV imports check every row against the model's own field rules and report each bad row by line."""
import pytest
from django.core.management import CommandError, call_command

from inventory.models import Asset, Material

from .factories import DeviceTypeFactory

pytestmark = pytest.mark.django_db
ASSETS, MATERIALS = "/api/inventory/assets/import/", "/api/inventory/materials/import/"


def _post(client_as, url, body):
    return client_as("operator").generic("POST", url, body, content_type="text/csv")


def test_a_too_long_asset_name_is_reported_by_line_and_nothing_is_stored(client_as):
    DeviceTypeFactory(name="Srv")
    response = _post(client_as, ASSETS, "name,device_type\nfine,Srv\n" + "N" * 500 + ",Srv\n")
    assert response.status_code == 400
    assert response.data["rows"] == [{
        "line": 3, "error": "name: Ensure this value has at most 150 characters (it has 500).",
        "fields": {"name": ["Ensure this value has at most 150 characters (it has 500)."]}}]
    assert not Asset.objects.exists()


def test_every_bad_asset_row_is_reported_not_only_the_first(client_as):
    DeviceTypeFactory(name="Srv")
    body = ("name,device_type,serial_number,purchase_cost\n"
            "ok,Srv,,10\n"
            "a,Srv," + "S" * 101 + ",\n"
            "b,Srv,,1.234\n"
            "c,Srv,,-5\n")
    response = _post(client_as, ASSETS, body)
    assert response.status_code == 400
    rows = {row["line"]: row for row in response.data["rows"]}
    assert sorted(rows) == [3, 4, 5]
    assert rows[3]["error"].startswith("serial_number: Ensure this value has at most 100 characters")
    assert rows[4]["error"] == "purchase_cost: Ensure that there are no more than 2 decimal places."
    assert "purchase_cost" in rows[5]["error"]
    assert not Asset.objects.exists()


def test_a_too_long_material_unit_is_reported_by_line_and_nothing_is_stored(client_as):
    response = _post(client_as, MATERIALS, "sku,name,unit\nOK-1,Good,g\nBAD-2,Bad," + "x" * 30 + "\n")
    assert response.status_code == 400
    assert response.data["rows"] == [{
        "line": 3, "error": "unit: Ensure this value has at most 20 characters (it has 30).",
        "fields": {"unit": ["Ensure this value has at most 20 characters (it has 30)."]}}]
    assert not Material.objects.exists()


def test_negative_numbers_and_long_lots_in_a_material_file_are_reported_by_line(client_as, shelf):
    body = ("sku,name,unit,reorder_level,quantity,location,lot\n"
            "M-1,Good,g,1,5,Shelf A,L1\n"
            "M-2,Neg,g,-1,,,\n"
            "M-3,Gone,g,,-4,Shelf A,\n"
            "M-4,Lot,g,,1,Shelf A," + "L" * 51 + "\n")
    response = _post(client_as, MATERIALS, body)
    assert response.status_code == 400
    errors = {row["line"]: row["error"] for row in response.data["rows"]}
    assert errors == {3: "reorder_level must not be negative.", 4: "quantity must not be negative.",
                      5: "lot is at most 50 characters."}
    assert not Material.objects.exists()


def test_the_import_command_reports_the_same_rows_and_stores_nothing(tmp_path, make_user, capsys):
    make_user("operator", username="op")
    DeviceTypeFactory(name="Srv")
    path = tmp_path / "assets.csv"
    path.write_text("name,device_type\nfine,Srv\n" + "N" * 500 + ",Srv\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_assets", str(path), "--as", "op")
    assert "line 3: name: Ensure this value has at most 150 characters (it has 500)." in capsys.readouterr().err
    assert not Asset.objects.exists()
