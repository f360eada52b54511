"""The stock ledger: receive, consume, allocate, release, adjust, stocktake, transfer.

Each function locks the stock row (``SELECT ... FOR UPDATE`` on PostgreSQL; the embedded
SQLite mode opens transactions with IMMEDIATE, which takes the database write lock), checks
the rule against the locked values, writes one ledger row per stock row it changes and
updates the running balances in the same transaction. The check constraints on
``StockItem`` are the last line: a bug that tried to go negative fails at the database.
"""
import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from accounts.roles import MEMBER, OPERATOR, require_role
from core import audit, events
from core.errors import Conflict, NotFound, RuleViolation, check_fields

from ..events import (
    MATERIAL_CREATED,
    MATERIAL_LOW_STOCK,
    MATERIAL_RESTOCKED,
    MATERIAL_UPDATED,
    STOCK_ADJUSTED,
    STOCK_ALLOCATED,
    STOCK_CONSUMED,
    STOCK_COUNTED,
    STOCK_RECEIVED,
    STOCK_RELEASED,
    STOCK_TRANSFERRED,
)
from ..models import Location, Material, StockItem, StockMovement
from ..notifications import notify_operators
from .common import material_topics, money, plain, reference, to_quantity
from .reservations import draw_on_reservation

MATERIAL_FIELDS = ["sku", "name", "category", "unit", "cost_per_unit", "supplier", "reorder_level", "notes"]


@transaction.atomic
def create_material(actor, **fields) -> Material:
    """Create a material (operators); stock arrives later through ``receive_stock``."""
    require_role(actor, OPERATOR, "create materials")
    fields = _material_fields(fields)
    if Material.objects.filter(sku__iexact=fields.get("sku", "")).exists():
        raise Conflict(f"A material with SKU '{fields['sku']}' exists already; choose another SKU.",
                       fields={"sku": ["Taken."]})
    material = Material(**fields)
    check_fields(material)
    material.save()
    audit.record(actor, "material.create", material, {k: [None, audit.plain(v)] for k, v in fields.items()})
    events.publish(material_topics(material), MATERIAL_CREATED, {"material": material.pk, "name": material.name})
    return material


@transaction.atomic
def update_material(actor, material: Material, **fields) -> Material:
    """Change a material's description, cost or reorder level (operators); never its quantity."""
    require_role(actor, OPERATOR, "change materials")
    material = Material.objects.select_for_update().get(pk=material.pk)
    fields = _material_fields(fields)
    if "sku" in fields and Material.objects.filter(sku__iexact=fields["sku"]).exclude(pk=material.pk).exists():
        raise Conflict(f"A material with SKU '{fields['sku']}' exists already; choose another SKU.",
                       fields={"sku": ["Taken."]})
    changes = audit.apply_changes(actor, "material.update", material, fields, check=check_fields)
    if changes:
        events.publish(material_topics(material), MATERIAL_UPDATED, {"material": material.pk, "changes": changes})
        if "reorder_level" in changes:
            _check_reorder_level(material)
    return material


def _material_fields(fields: dict) -> dict:
    unknown = set(fields) - set(MATERIAL_FIELDS)
    if unknown:
        raise RuleViolation(f"Unknown material field(s): {', '.join(sorted(unknown))}.")
    fields = dict(fields)
    if "reorder_level" in fields:
        fields["reorder_level"] = to_quantity(fields["reorder_level"], "reorder_level", allow_zero=True)
    if "cost_per_unit" in fields:
        fields["cost_per_unit"] = money(fields["cost_per_unit"], "cost_per_unit")
    return fields


# --- ledger ----------------------------------------------------------------------------------

def _item_for(material: Material, location: Location | None, lot: str, *, lock: bool = True) -> StockItem:
    """The stock row to take from, locked; without a location, the material's only stock row."""
    qs = StockItem.objects.select_related("location", "material")
    if lock:
        qs = qs.select_for_update(of=("self",))
    lot = _lot(lot)
    if location is None:
        items = list(qs.filter(material=material).order_by("id")[:2])
        if len(items) != 1:
            where = "nowhere yet" if not items else "in several places"
            raise RuleViolation(f"{material.name} is stocked {where}: say which location.",
                                fields={"location": [f"Stocked {where}."]})
        return items[0]
    try:
        return qs.get(material=material, location=location, lot=lot)
    except StockItem.DoesNotExist:
        lot_text = f" (lot {lot})" if lot else ""
        raise NotFound(f"There is no {material.name}{lot_text} at {location}; receive some there first.",
                       available="0")


def _lot(lot) -> str:
    """A lot number as stored: trimmed, and refused (not cut) when longer than the column."""
    lot = (lot or "").strip()
    limit = StockItem._meta.get_field("lot").max_length
    if len(lot) > limit:
        raise RuleViolation(f"lot is at most {limit} characters.", fields={"lot": [f"At most {limit} characters."]})
    return lot


def _receiving_item(material, location, lot, expires_on=None) -> StockItem:
    """The stock row to add to, created when the material is new at that place, then locked."""
    if location is None:
        raise RuleViolation("Say which location the stock goes to.", fields={"location": ["Required."]})
    lot = _lot(lot)
    item, created = StockItem.objects.get_or_create(material=material, location=location, lot=lot,
                                                    defaults={"expires_on": expires_on})
    item = StockItem.objects.select_for_update(of=("self",)).select_related("location", "material").get(pk=item.pk)
    if expires_on and item.expires_on != expires_on:
        item.expires_on = expires_on
    return item


def _write(actor, item: StockItem, kind, qty, *, on_hand=Decimal(0), allocated=Decimal(0), reason="",
           ref=("", ""), counted=None, transfer_id=None, holder_id=None) -> StockMovement:
    """Apply a change to the locked row and write its ledger row, in that one transaction.

    ``holder_id`` is whose reservation a change of ``allocated`` belongs to (see ``reservations``).
    """
    item.quantity = item.quantity + on_hand
    item.allocated = item.allocated + allocated
    item.save(update_fields=["quantity", "allocated", "expires_on", "updated_at"])
    return StockMovement.objects.create(
        stock_item=item, material_id=item.material_id, kind=kind, quantity=qty, on_hand_change=on_hand,
        allocated_change=allocated, on_hand_after=item.quantity, counted=counted, actor=_user(actor),
        reason=(reason or "")[:255], reference_type=ref[0], reference_id=ref[1], transfer_id=transfer_id,
        holder_id=holder_id,
    )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _announce(actor, action: str, event: str, material: Material, item: StockItem, movement: StockMovement,
              before: tuple, extra: dict | None = None) -> None:
    """Audit the movement and publish it; then see whether the material crossed its reorder level."""
    changes = {}
    if before[0] != item.quantity:
        changes["on_hand"] = [plain(before[0]), plain(item.quantity)]
    if before[1] != item.allocated:
        changes["allocated"] = [plain(before[1]), plain(item.allocated)]
    changes["location"] = [None, str(item.location)]
    audit.record(actor, action, material, changes)
    data = {
        "material": material.pk, "stock_item": item.pk, "location": item.location_id, "lot": item.lot,
        "movement": movement.pk, "kind": movement.kind, "quantity": plain(movement.quantity),
        "on_hand": plain(item.quantity), "allocated": plain(item.allocated), "available": plain(item.available),
        "reference_type": movement.reference_type, "reference_id": movement.reference_id,
        "holder": movement.holder_id,
    }
    data.update(extra or {})
    events.publish(material_topics(material), event, data)
    _check_reorder_level(material)


def _short(material: Material, item: StockItem, wanted: Decimal, available: Decimal, doing: str) -> Conflict:
    return Conflict(
        f"Only {plain(available)} {material.unit} of {material.name} available at {item.location}; "
        f"cannot {doing} {plain(wanted)}. Receive more or take less.",
        code="insufficient_stock", available=plain(available), fields={"quantity": [f"At most {plain(available)}."]},
    )


@transaction.atomic
def receive_stock(actor, material: Material, quantity, *, location: Location | None = None, lot: str = "",
                  expires_on=None, reason: str = "", reference_type: str = "", reference_id="") -> StockMovement:
    """Book stock in at a location (operators)."""
    require_role(actor, OPERATOR, "receive stock")
    qty = to_quantity(quantity)
    ref = reference(reference_type, reference_id)
    item = _receiving_item(material, location, lot, expires_on)
    before = (item.quantity, item.allocated)
    movement = _write(actor, item, StockMovement.Kind.RECEIVE, qty, on_hand=qty, reason=reason, ref=ref)
    _announce(actor, "material.receive", STOCK_RECEIVED, material, item, movement, before)
    return movement


@transaction.atomic
def consume_stock(actor, material: Material, quantity, *, location: Location | None = None, lot: str = "",
                  reason: str = "", reference_type: str = "", reference_id="",
                  from_allocation: bool = False, holder=None) -> StockMovement:
    """Take stock out for good (members and above); 409 with the available quantity when short.

    With ``from_allocation`` the quantity comes out of a reservation for the same reference (a
    project's BOM line using what it allocated) instead of the free stock: a member's own
    reservation, or for an operator the ``holder``'s (see ``reservations.draw_on_reservation``).
    """
    require_role(actor, MEMBER, "consume stock")
    qty = to_quantity(quantity)
    ref = reference(reference_type, reference_id)
    if holder is not None and not from_allocation:
        raise RuleViolation("holder names whose reservation to consume from; it needs from_allocation.",
                            fields={"holder": ["Only with from_allocation."]})
    item = _item_for(material, location, lot)
    before = (item.quantity, item.allocated)
    if from_allocation:
        holder_id = draw_on_reservation(actor, item, ref, qty, holder=holder, doing="consume")
        movement = _write(actor, item, StockMovement.Kind.CONSUME, qty, on_hand=-qty, allocated=-qty,
                          reason=reason, ref=ref, holder_id=holder_id)
    else:
        if qty > item.available:
            raise _short(material, item, qty, item.available, "consume")
        movement = _write(actor, item, StockMovement.Kind.CONSUME, qty, on_hand=-qty, reason=reason, ref=ref)
    _announce(actor, "material.consume", STOCK_CONSUMED, material, item, movement, before)
    return movement


@transaction.atomic
def allocate_stock(actor, material: Material, quantity, *, location: Location | None = None, lot: str = "",
                   reason: str = "", reference_type: str = "", reference_id="") -> StockMovement:
    """Reserve stock for a purpose without taking it out (members and above); 409 when short.

    The reservation is the actor's: only they or an operator may release it (see ``reservations``).
    """
    require_role(actor, MEMBER, "allocate stock")
    qty = to_quantity(quantity)
    ref = reference(reference_type, reference_id)
    item = _item_for(material, location, lot)
    before = (item.quantity, item.allocated)
    if qty > item.available:
        raise _short(material, item, qty, item.available, "allocate")
    movement = _write(actor, item, StockMovement.Kind.ALLOCATE, qty, allocated=qty, reason=reason, ref=ref,
                      holder_id=actor.pk)
    _announce(actor, "material.allocate", STOCK_ALLOCATED, material, item, movement, before)
    return movement


@transaction.atomic
def release_stock(actor, material: Material, quantity, *, location: Location | None = None, lot: str = "",
                  reason: str = "", reference_type: str = "", reference_id="", holder=None) -> StockMovement:
    """Give reserved stock back to the free stock (members and above).

    Stock reserved for a reference is released only by naming that reference; without one, only
    what was reserved without a reference. Members release their own reservations; operators
    anyone's (``holder`` says whose when several users hold one). See ``reservations``.
    """
    require_role(actor, MEMBER, "release stock")
    qty = to_quantity(quantity)
    ref = reference(reference_type, reference_id)
    item = _item_for(material, location, lot)
    before = (item.quantity, item.allocated)
    holder_id = draw_on_reservation(actor, item, ref, qty, holder=holder, doing="release")
    movement = _write(actor, item, StockMovement.Kind.RELEASE, qty, allocated=-qty, reason=reason, ref=ref,
                      holder_id=holder_id)
    _announce(actor, "material.release", STOCK_RELEASED, material, item, movement, before)
    return movement


@transaction.atomic
def adjust_stock(actor, material: Material, change, *, location: Location | None = None, lot: str = "",
                 reason: str = "") -> StockMovement:
    """Correct the quantity on hand by a signed amount, with a reason (operators)."""
    require_role(actor, OPERATOR, "adjust stock")
    delta = to_quantity(change, "change", allow_negative=True)
    if not (reason or "").strip():
        raise RuleViolation("Say why the stock is adjusted.", fields={"reason": ["Required for an adjustment."]})
    item = _item_for(material, location, lot)
    before = (item.quantity, item.allocated)
    if item.quantity + delta < item.allocated:
        removable = item.available
        raise Conflict(f"Only {plain(removable)} {material.unit} of {material.name} at {item.location} is not "
                       f"allocated; release allocations before removing more.", code="insufficient_stock",
                       available=plain(removable))
    movement = _write(actor, item, StockMovement.Kind.ADJUST, abs(delta), on_hand=delta, reason=reason)
    _announce(actor, "material.adjust", STOCK_ADJUSTED, material, item, movement, before)
    return movement


@transaction.atomic
def stocktake(actor, material: Material, counted, *, location: Location, lot: str = "",
              reason: str = "") -> StockMovement:
    """Record a count; the difference from the books is written as the stocktake row (operators)."""
    require_role(actor, OPERATOR, "record a stocktake")
    count = to_quantity(counted, "counted", allow_zero=True)
    item = _receiving_item(material, location, lot)
    before = (item.quantity, item.allocated)
    if count < item.allocated:
        raise Conflict(f"Counted {plain(count)} {material.unit} but {plain(item.allocated)} are allocated at "
                       f"{item.location}; release allocations first.", code="insufficient_stock",
                       available=plain(item.available))
    delta = count - item.quantity
    movement = _write(actor, item, StockMovement.Kind.STOCKTAKE, abs(delta), on_hand=delta, counted=count,
                      reason=reason or "stocktake")
    _announce(actor, "material.stocktake", STOCK_COUNTED, material, item, movement, before,
              {"counted": plain(count), "difference": plain(delta)})
    return movement


@transaction.atomic
def transfer_stock(actor, material: Material, quantity, *, from_location: Location, to_location: Location,
                   lot: str = "", reason: str = "") -> tuple[StockMovement, StockMovement]:
    """Move free stock between locations: two ledger rows sharing a transfer id (operators)."""
    require_role(actor, OPERATOR, "transfer stock")
    qty = to_quantity(quantity)
    if from_location is None or to_location is None:
        raise RuleViolation("Give from_location and to_location.", fields={"to_location": ["Required."]})
    if from_location.pk == to_location.pk:
        raise RuleViolation("Source and destination are the same location.", fields={"to_location": ["Same."]})
    source = _item_for(material, from_location, lot, lock=False)
    target, _ = StockItem.objects.get_or_create(material=material, location=to_location, lot=source.lot,
                                                defaults={"expires_on": source.expires_on})
    # Lock both rows in id order so two opposite transfers cannot deadlock.
    locked = {i.pk: i for i in StockItem.objects.select_for_update(of=("self",)).select_related(
        "location", "material").filter(pk__in=[source.pk, target.pk]).order_by("pk")}
    source, target = locked[source.pk], locked[target.pk]
    if qty > source.available:
        raise _short(material, source, qty, source.available, "transfer")
    transfer_id = uuid.uuid4()
    before_out, before_in = (source.quantity, source.allocated), (target.quantity, target.allocated)
    out = _write(actor, source, StockMovement.Kind.TRANSFER_OUT, qty, on_hand=-qty, reason=reason,
                 transfer_id=transfer_id)
    into = _write(actor, target, StockMovement.Kind.TRANSFER_IN, qty, on_hand=qty, reason=reason,
                  transfer_id=transfer_id)
    extra = {"transfer_id": str(transfer_id), "from_location": from_location.pk, "to_location": to_location.pk}
    _announce(actor, "material.transfer", STOCK_TRANSFERRED, material, source, out, before_out, extra)
    _announce(actor, "material.transfer", STOCK_TRANSFERRED, material, target, into, before_in, extra)
    return out, into


# --- reorder level ------------------------------------------------------------------------------

def material_available(material: Material) -> Decimal:
    """Free stock of a material over all locations."""
    total = StockItem.objects.filter(material=material).aggregate(s=Sum(F("quantity") - F("allocated")))["s"]
    # SQLite sums decimals as floats: round back to the column's 3 places.
    return Decimal(total or 0).quantize(Decimal("0.001"))


def _check_reorder_level(material: Material) -> None:
    """Publish and notify once when free stock falls below the reorder level; re-arm when it recovers.

    The flag flips with a conditional UPDATE: of two concurrent movements that both see low
    stock, only the one whose UPDATE matches a still-unset flag notifies.
    """
    available = material_available(material)
    level = Material.objects.filter(pk=material.pk).values_list("reorder_level", flat=True).first() or 0
    if level and available < level:
        if Material.objects.filter(pk=material.pk, low_stock_since__isnull=True).update(low_stock_since=timezone.now()):
            data = {"material": material.pk, "name": material.name, "available": plain(available),
                    "reorder_level": plain(level), "unit": material.unit}
            events.publish(material_topics(material), MATERIAL_LOW_STOCK, data)
            notify_operators(
                f"Low stock: {material.name}",
                f"{material.name} ({material.sku}) is down to {plain(available)} {material.unit}, below its "
                f"reorder level of {plain(level)} {material.unit}. Supplier: {material.supplier or 'not set'}.",
            )
    elif Material.objects.filter(pk=material.pk, low_stock_since__isnull=False).update(low_stock_since=None):
        events.publish(material_topics(material), MATERIAL_RESTOCKED,
                       {"material": material.pk, "available": plain(available)})
