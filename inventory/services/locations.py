"""The location tree: create, rename and move (never into its own subtree), delete when empty."""
from django.db import connection, transaction

from accounts.roles import OPERATOR, require_role
from core import audit, events
from core.errors import Conflict, RuleViolation

from ..events import LOCATION_CREATED, LOCATION_DELETED, LOCATION_UPDATED
from ..models import Location
from .assets import check_racked_assets

FIELDS = ["name", "kind", "parent", "rack_units", "description"]
# A child may sit only under a parent of a bigger kind (a rack in a room, a bin on a shelf).
ORDER = [Location.Kind.SITE, Location.Kind.ROOM, Location.Kind.RACK, Location.Kind.SHELF, Location.Kind.BIN]


def _validate(location: Location) -> None:
    if not (location.name or "").strip():
        raise RuleViolation("A location needs a name.", fields={"name": ["Required."]})
    if location.kind not in Location.Kind.values:
        raise RuleViolation(f"kind must be one of {', '.join(Location.Kind.values)}.", fields={"kind": ["Invalid."]})
    if location.rack_units is not None and location.kind != Location.Kind.RACK:
        raise RuleViolation("Only a rack has rack units.", fields={"rack_units": ["Only for racks."]})
    if location.kind == Location.Kind.RACK and not location.rack_units:
        location.rack_units = 42
    parent = location.parent
    if parent is not None and ORDER.index(parent.kind) > ORDER.index(location.kind):
        raise RuleViolation(f"A {location.kind} cannot sit inside a {parent.kind}.", fields={"parent": ["Wrong kind."]})
    siblings = Location.objects.filter(parent=parent, name=location.name).exclude(pk=location.pk)
    if siblings.exists():
        raise Conflict(f"'{location.name}' exists already in {parent or 'the top level'}; choose another name.",
                       fields={"name": ["Taken here."]})


def _check_children(location: Location) -> None:
    """A changed kind must still be bigger than every child's (no rack left inside a bin)."""
    bigger = ORDER[:ORDER.index(location.kind)]
    child = location.children.filter(kind__in=bigger).order_by("id").first()
    if child is not None:
        raise Conflict(f"{location.name} cannot be a {location.kind}: it holds {child.name}, a {child.kind}. Move "
                       f"that out first.", fields={"kind": [f"Holds a {child.kind}."]})


def _set_path(location: Location) -> None:
    parent = location.parent
    location.tree_path = f"{parent.tree_path if parent else '/'}{location.pk}/"
    location.full_name = f"{parent.full_name} / {location.name}" if parent else location.name
    location.depth = (parent.depth + 1) if parent else 0


@transaction.atomic
def create_location(actor, *, name: str, kind: str, parent: Location | None = None, rack_units=None,
                    description: str = "") -> Location:
    """Add a node to the tree (operators)."""
    require_role(actor, OPERATOR, "create locations")
    location = Location(name=(name or "").strip(), kind=kind, parent=parent, rack_units=rack_units,
                        description=description or "")
    _validate(location)
    location.save()
    _set_path(location)
    location.save(update_fields=["tree_path", "full_name", "depth"])
    audit.record(actor, "location.create", location, {"full_name": [None, location.full_name]})
    events.publish("inventory", LOCATION_CREATED, {"location": location.pk, "full_name": location.full_name})
    return location


@transaction.atomic
def update_location(actor, location: Location, **fields) -> Location:
    """Rename, move or reshape a location; its subtree's paths follow.

    Refused: moving it under itself, a kind its children cannot sit in, and a kind or rack height
    that leaves an asset's rack position outside the rack or overlapping another asset.
    """
    require_role(actor, OPERATOR, "change locations")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise RuleViolation(f"Unknown location field(s): {', '.join(sorted(unknown))}.")
    if "parent" in fields:
        _lock_tree()
        if fields["parent"] is not None:  # re-read: its path may have changed since the caller loaded it
            fields["parent"] = Location.objects.get(pk=fields["parent"].pk)
    location = Location.objects.select_for_update().get(pk=location.pk)
    new_parent = fields.get("parent", location.parent)
    if new_parent is not None and (new_parent.pk == location.pk or new_parent.tree_path.startswith(location.tree_path)):
        raise RuleViolation(f"Cannot move {location} inside itself or one of its own children.",
                            fields={"parent": ["Would make a cycle."]})
    if isinstance(fields.get("name"), str):
        fields["name"] = fields["name"].strip()
    old_kind, old_units = location.kind, location.rack_units
    old_path, old_name = location.tree_path, location.full_name

    def check(location):
        if location.kind != Location.Kind.RACK:
            location.rack_units = None
        _validate(location)
        if location.kind != old_kind:
            _check_children(location)
        _set_path(location)

    def save(location):
        location.save()
        if old_path != location.tree_path or old_name != location.full_name:
            _rewrite_subtree(location, old_path)

    changes = audit.apply_changes(actor, "location.update", location, fields, check=check, save=save,
                                  also=["full_name"])
    # After the save, so the check sees the stored rack; a refusal rolls the change back.
    if location.kind != old_kind:
        check_racked_assets(location.assets.all(), f"Making {location} a {location.kind}", "kind")
    elif location.rack_units != old_units:
        check_racked_assets(location.assets.all(), f"Making {location} {location.rack_units}U high", "rack_units")
    if changes:
        events.publish("inventory", LOCATION_UPDATED, {"location": location.pk, "changes": changes})
    return location


TREE_LOCK_KEY = 7301  # any constant: the advisory lock that serializes moves in the location tree


def _lock_tree() -> None:
    """Serialize moves: two crossing moves (X under Y, Y under X) must not both pass the cycle check.

    PostgreSQL gets a transaction-level advisory lock; SQLite's IMMEDIATE transactions are serial already.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_LOCK_KEY])


def _rewrite_subtree(root: Location, old_path: str) -> None:
    """Recompute path, name and depth of every descendant, parents before children."""
    by_id = {root.pk: root}
    descendants = Location.objects.filter(tree_path__startswith=old_path).exclude(pk=root.pk).order_by("depth", "id")
    for node in descendants:
        node.parent = by_id[node.parent_id]
        _set_path(node)
        by_id[node.pk] = node
    Location.objects.bulk_update(list(by_id.values())[1:], ["tree_path", "full_name", "depth"])


@transaction.atomic
def delete_location(actor, location: Location) -> None:
    """Remove an empty location (no children, assets or stock)."""
    require_role(actor, OPERATOR, "delete locations")
    if location.children.exists() or location.assets.exists() or location.stock_items.exists():
        raise Conflict(f"{location} still holds locations, assets or stock; move them first.")
    audit.record(actor, "location.delete", location, {"full_name": [location.full_name, None]})
    events.publish("inventory", LOCATION_DELETED, {"location": location.pk})
    location.delete()
