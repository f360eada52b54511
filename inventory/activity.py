"""How inventory changes read in the activity feed ("checked out Oscilloscope (IT-000012)")."""
from django.urls import reverse

VERBS = {
    "asset.create": "added", "asset.update": "changed", "asset.check_out": "checked out",
    "asset.check_in": "checked in", "asset.maintenance": "recorded maintenance on",
    "asset.attach": "attached a file to",
    "material.create": "added the material", "material.update": "changed the material",
    "material.receive": "received", "material.consume": "used", "material.allocate": "allocated",
    "material.release": "released", "material.adjust": "corrected the stock of", "material.stocktake": "counted",
    "material.transfer": "moved stock of", "location.create": "added the location",
    "location.update": "changed the location", "location.delete": "removed the location",
}
PAGES = {"inventory.asset": "inventory:asset", "inventory.material": "inventory:material",
         "inventory.location": "inventory:location"}


def _amount(entry) -> str:
    """For a stock movement, how much the books changed and where: "120 at Shelf A"."""
    before, after = (entry.changes.get("on_hand") or [None, None])[:2]
    where = (entry.changes.get("location") or [None, None])[1]
    try:
        moved = abs(float(after) - float(before))
    except (TypeError, ValueError):
        return f" at {where}" if where else ""
    return f" ({moved:g}{' at ' + where if where else ''})"


def describe(entries) -> dict:
    """Phrase each entry with what it was done to; stock movements say how much."""
    lines = {}
    for entry in entries:
        verb = VERBS.get(entry.action)
        if verb is None:
            continue
        text = f"{verb} {entry.object_repr}"
        if entry.action.startswith("material.") and entry.action not in ("material.create", "material.update"):
            text += _amount(entry)
        if entry.action == "asset.check_out":
            holder = (entry.changes.get("holder") or [None, None])[1]
            text += f" to {holder}" if holder else ""
        page = PAGES.get(entry.object_type)
        link = reverse(page, args=[int(entry.object_id)]) if page and entry.object_id.isdigit() and \
            entry.action != "location.delete" else ""
        lines[entry.pk] = (text, link)
    return lines
