"""Assets: create and change them (with field history), check out and in, maintenance."""
import ipaddress
import uuid
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import MEMBER, OPERATOR, has_role, require_role
from core import audit, events
from core.errors import Conflict, DomainError, PermissionDenied, RuleViolation, check_fields

from .. import queries
from ..events import (
    ASSET_ATTACHMENT_ADDED,
    ASSET_CHECKED_IN,
    ASSET_CHECKED_OUT,
    ASSET_CREATED,
    ASSET_MAINTAINED,
    ASSET_UPDATED,
    MAINTENANCE_REMINDERS,
)
from ..models import Asset, AssetAttachment, Checkout, Location, MaintenanceRecord
from ..notifications import notify_operators
from .common import asset_topics, money, reference

FIELDS = ["name", "serial_number", "device_type", "manufacturer", "location", "rack_position", "management_ip",
          "status", "owner_group", "notes", "custom_fields", "purchase_date", "purchase_cost", "warranty_until"]
HISTORY_FIELDS = [*FIELDS, "tags"]
# Generated here, given as objects, or checked above with a clearer message: not re-checked by full_clean.
NOT_FIELD_CHECKED = ["inventory_id", "public_id", "device_type", "manufacturer", "location", "owner_group",
                     "management_ip"]


def _tag_ids(asset) -> list[int]:
    return sorted(t.pk for t in asset.tags.all()) if asset.pk else []


def _snapshot(asset) -> dict:
    values = audit.snapshot(asset, FIELDS)
    values["tags"] = _tag_ids(asset)
    return values


def _validate(asset: Asset) -> None:
    """The rules that involve more than one field or other rows."""
    if not (asset.name or "").strip():
        raise RuleViolation("An asset needs a name.", fields={"name": ["Required."]})
    if asset.status not in Asset.Status.values:
        raise RuleViolation(f"status must be one of {', '.join(Asset.Status.values)}.", fields={"status": ["Invalid."]})
    if asset.management_ip in ("", None):
        asset.management_ip = None
    else:
        try:
            asset.management_ip = str(ipaddress.ip_address(str(asset.management_ip).strip()))
        except ValueError:
            raise RuleViolation(f"'{asset.management_ip}' is not an IP address.",
                                fields={"management_ip": ["Invalid."]})
        clash = Asset.objects.filter(management_ip=asset.management_ip).exclude(pk=asset.pk).first()
        if clash:
            raise Conflict(f"{asset.management_ip} is already the management IP of {clash}.",
                           fields={"management_ip": ["Taken."]})
    # Lengths, ranges and decimal places as the columns define them, whichever door the values came in by.
    check_fields(asset, exclude=NOT_FIELD_CHECKED)
    _validate_rack(asset)


def _validate_rack(asset: Asset) -> None:
    """The asset's U range lies inside its rack and overlaps no other asset there."""
    if asset.rack_position is None:
        return
    # Read the rack under a lock: placements in one rack, and changes to the rack itself, take turns.
    location = Location.objects.select_for_update().filter(pk=asset.location_id).first()
    if location is None or location.kind != Location.Kind.RACK:
        raise RuleViolation("A rack position needs the asset to be in a rack.", fields={"rack_position": ["No rack."]})
    height = asset.device_type.rack_units or 1
    top = asset.rack_position + height - 1
    if asset.rack_position < 1 or top > (location.rack_units or 0):
        raise RuleViolation(f"{location} has units 1-{location.rack_units}; a {height}U device at "
                            f"U{asset.rack_position} does not fit.", fields={"rack_position": ["Out of the rack."]})
    others = Asset.objects.filter(location=location, rack_position__isnull=False).exclude(pk=asset.pk).select_related(
        "device_type")
    for other in others:
        other_top = other.rack_position + (other.device_type.rack_units or 1) - 1
        if asset.rack_position <= other_top and top >= other.rack_position:
            raise Conflict(f"U{other.rack_position}-U{other_top} of {location} is taken by {other}.",
                           fields={"rack_position": ["Taken."]})


def check_racked_assets(assets, change: str, field: str) -> None:
    """Refuse (409) a saved change to a rack or a device type that leaves a racked asset out of place.

    ``assets`` is the queryset the change touches; each one with a rack position is checked by the
    same rule as placing it (``_validate_rack``). Call it inside the change's transaction, after
    saving, so a refusal rolls the change back; ``change`` and ``field`` name it in the message.
    """
    for asset in assets.filter(rack_position__isnull=False).select_related("device_type"):
        try:
            _validate_rack(asset)
        except DomainError as exc:
            raise Conflict(f"{change} would leave {asset} out of place: {exc.detail} Move it first.",
                           fields={field: [f"{asset} would not fit."]}, asset=asset.pk) from None


def _next_inventory_id(asset: Asset) -> str:
    prefix = settings.INVENTORY_ID_PREFIX
    return f"{prefix}-{asset.pk:06d}"


@transaction.atomic
def create_asset(actor, *, tags=(), **fields) -> Asset:
    """Register a physical thing (operators); its inventory id comes from its row id, so it is unique."""
    require_role(actor, OPERATOR, "create assets")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise RuleViolation(f"Unknown asset field(s): {', '.join(sorted(unknown))}.")
    if fields.get("device_type") is None:
        raise RuleViolation("An asset needs a device type.", fields={"device_type": ["Required."]})
    asset = Asset(**fields)
    if asset.manufacturer_id is None and asset.device_type.manufacturer_id:
        asset.manufacturer_id = asset.device_type.manufacturer_id
    _validate(asset)
    # A placeholder keeps the unique column filled until the row id is known.
    asset.inventory_id = f"new-{uuid.uuid4().hex[:16]}"
    _save(asset)
    asset.inventory_id = _next_inventory_id(asset)
    asset.save(update_fields=["inventory_id"])
    if tags:
        asset.tags.set(tags)
    changes = {k: [None, v] for k, v in _snapshot(asset).items() if v not in (None, "", {}, [])}
    audit.record(actor, "asset.create", asset, changes)
    events.publish(asset_topics(asset), ASSET_CREATED, {"asset": asset.pk, "inventory_id": asset.inventory_id})
    return asset


def _save(asset: Asset) -> None:
    """Save; a unique index that a concurrent change beat us to is still a 409, not a 500."""
    try:
        with transaction.atomic():
            asset.save()
    except IntegrityError:
        raise Conflict("Another change took that management IP or rack position just now; reload and retry.")


@transaction.atomic
def update_asset(actor, asset: Asset, *, tags=None, **fields) -> Asset:
    """Change an asset (operators); every changed field lands in its history as [old, new]."""
    require_role(actor, OPERATOR, "change assets")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise RuleViolation(f"Unknown asset field(s): {', '.join(sorted(unknown))}.")
    asset = Asset.objects.select_for_update(of=("self",)).select_related("device_type", "location").get(pk=asset.pk)
    if "location" in fields and "rack_position" not in fields and \
            audit.plain(fields["location"]) != asset.location_id:
        fields["rack_position"] = None  # a position means nothing in another rack
    old_tags = _tag_ids(asset)

    def set_tags(asset):
        if tags is None:
            return {}
        asset.tags.set(tags)
        new_tags = _tag_ids(asset)
        return {"tags": [old_tags, new_tags]} if new_tags != old_tags else {}

    # ``also``: the whole row, since the checks normalise values (the management IP) besides those given.
    changes = audit.apply_changes(actor, "asset.update", asset, fields, check=_validate, save=_save, also=FIELDS,
                                  then=set_tags)
    if changes:
        events.publish(asset_topics(asset), ASSET_UPDATED, {"asset": asset.pk, "changes": audit.plain(changes)})
    return asset


@transaction.atomic
def retire_asset(actor, asset: Asset) -> Asset:
    """Take an asset out of use (operators). Assets are retired, never deleted: bookings, loans and
    the stock ledger keep pointing at them, and its history stays readable."""
    return update_asset(actor, asset, status=Asset.Status.RETIRED)


@transaction.atomic
def bulk_update_assets(actor, assets, **fields) -> list[Asset]:
    """Apply the same change (status, location, owner group, tags) to many assets; all or nothing."""
    require_role(actor, OPERATOR, "change assets")
    allowed = {"status", "location", "owner_group", "device_type", "manufacturer", "tags"}
    unknown = set(fields) - allowed
    if unknown:
        raise RuleViolation(f"Bulk update may change only {', '.join(sorted(allowed))}.")
    if not fields:
        raise RuleViolation("Say what to change.")
    return [update_asset(actor, asset, **fields) for asset in assets]


# --- check-out ----------------------------------------------------------------------------------

@transaction.atomic
def check_out_asset(actor, asset: Asset, *, to_user=None, reference_type: str = "", reference_id="",
                    expected_return: date | None = None, notes: str = "") -> Checkout:
    """Lend an asset to a user or a project; an asset already out is refused with who has it.

    Members check out to themselves or a project; lending to someone else takes an operator.
    """
    require_role(actor, MEMBER, "check out assets")
    ref = reference(reference_type, reference_id)
    if to_user is None and not ref[0]:
        to_user = actor
    if to_user is not None and to_user.pk != actor.pk and not has_role(actor, OPERATOR):
        raise PermissionDenied("Only an operator may check an asset out to someone else.")
    if to_user is not None and ref[0]:
        raise RuleViolation("Check out to a user or to a reference, not both.")
    if expected_return is not None and expected_return < timezone.localdate():
        raise RuleViolation("The expected return date is in the past.", fields={"expected_return": ["In the past."]})
    # Locking the asset row serialises two check-outs of one asset; the partial unique index backs it up.
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.status in (Asset.Status.RETIRED, Asset.Status.PLANNED):
        raise Conflict(f"{asset} is {asset.get_status_display().lower()} and cannot be checked out.")
    current = Checkout.objects.filter(asset=asset, checked_in_at__isnull=True).select_related("to_user").first()
    if current:
        raise Conflict(f"{asset} is already checked out to {current.holder_label}; check it in first.",
                       checkout=current.pk)
    checkout = Checkout(asset=asset, to_user=to_user, reference_type=ref[0], reference_id=ref[1],
                        checked_out_by=actor, checked_out_at=timezone.now(), expected_return=expected_return,
                        notes=notes or "")
    try:
        with transaction.atomic():
            checkout.save()
    except IntegrityError:
        raise Conflict(f"{asset} was checked out by someone else just now.")
    audit.record(actor, "asset.check_out", asset, {"holder": [None, checkout.holder_label],
                                                   "expected_return": [None, audit.plain(expected_return)]})
    events.publish(asset_topics(asset), ASSET_CHECKED_OUT, {
        "asset": asset.pk, "checkout": checkout.pk, "to_user": checkout.to_user_id,
        "reference_type": checkout.reference_type, "reference_id": checkout.reference_id,
        "expected_return": expected_return})
    return checkout


@transaction.atomic
def check_in_asset(actor, asset: Asset, *, notes: str = "") -> Checkout:
    """Take an asset back; the holder or an operator may do it."""
    require_role(actor, MEMBER, "check in assets")
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    checkout = Checkout.objects.filter(asset=asset, checked_in_at__isnull=True).select_related("to_user").first()
    if checkout is None:
        raise Conflict(f"{asset} is not checked out.")
    is_holder = checkout.to_user_id == actor.pk or checkout.checked_out_by_id == actor.pk
    if not is_holder and not has_role(actor, OPERATOR):
        raise PermissionDenied(f"Only {checkout.holder_label} or an operator may check {asset} in.")
    checkout.checked_in_at = timezone.now()
    checkout.checked_in_by = actor
    if notes:
        checkout.notes = f"{checkout.notes}\n{notes}".strip()
    checkout.save(update_fields=["checked_in_at", "checked_in_by", "notes", "updated_at"])
    audit.record(actor, "asset.check_in", asset, {"holder": [checkout.holder_label, None]})
    events.publish(asset_topics(asset), ASSET_CHECKED_IN, {"asset": asset.pk, "checkout": checkout.pk})
    return checkout


# --- maintenance ----------------------------------------------------------------------------------

@transaction.atomic
def add_maintenance_record(actor, asset: Asset, *, summary: str, performed_on: date | None = None, cost=0,
                           parts: str = "", done_by: str = "", details: str = "",
                           next_due: date | None = None) -> MaintenanceRecord:
    """Log maintenance on an asset (operators); the newest record's next due date drives reminders."""
    require_role(actor, OPERATOR, "record maintenance")
    if not (summary or "").strip():
        raise RuleViolation("Say what was done.", fields={"summary": ["Required."]})
    performed_on = performed_on or timezone.localdate()
    if performed_on > timezone.localdate():
        raise RuleViolation("Maintenance cannot be recorded in the future.", fields={"performed_on": ["Future."]})
    if next_due is not None and next_due < performed_on:
        raise RuleViolation("The next due date is before the work was done.", fields={"next_due": ["Too early."]})

    record = MaintenanceRecord.objects.create(
        asset=asset, summary=summary.strip()[:200], performed_on=performed_on, cost=money(cost or 0, "cost"),
        parts=parts or "", done_by=done_by or "", details=details or "", next_due=next_due, recorded_by=actor)
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    newest = asset.maintenance_records.order_by("-performed_on", "-id").first()
    before = asset.next_maintenance_due
    asset.next_maintenance_due = newest.next_due
    asset.save(update_fields=["next_maintenance_due", "updated_at"])
    changes = {"maintenance": [None, record.summary]}
    if before != asset.next_maintenance_due:
        changes["next_maintenance_due"] = [audit.plain(before), audit.plain(asset.next_maintenance_due)]
    audit.record(actor, "asset.maintenance", asset, changes)
    events.publish(asset_topics(asset), ASSET_MAINTAINED, {
        "asset": asset.pk, "record": record.pk, "summary": record.summary, "next_due": record.next_due})
    return record


@transaction.atomic
def send_maintenance_reminders(today: date | None = None, days_ahead: int | None = None) -> dict:
    """Remind operators once of maintenance coming due within ``days_ahead`` days and once when overdue.

    Runs from beat and ``manage.py maintenance_due``; returns how many of each were sent.
    """
    today = today or timezone.localdate()
    days_ahead = settings.INVENTORY_MAINTENANCE_REMINDER_DAYS if days_ahead is None else days_ahead
    now = timezone.now()
    locked = MaintenanceRecord.objects.select_for_update(of=("self",)).select_related("asset")
    overdue = list(queries.maintenance_records_overdue(today, locked).filter(reminded_overdue_at__isnull=True))
    upcoming = list(queries.maintenance_records_due_within(days_ahead, today, locked)
                    .filter(reminded_upcoming_at__isnull=True))
    for kind, records, field in (("overdue", overdue, "reminded_overdue_at"),
                                 ("upcoming", upcoming, "reminded_upcoming_at")):
        for record in records:
            setattr(record, field, now)
            record.save(update_fields=[field])
            events.publish(asset_topics(record.asset), MAINTENANCE_REMINDERS[kind], {
                "asset": record.asset_id, "record": record.pk, "next_due": record.next_due})
        if records:
            lines = "\n".join(f"- {r.asset}: due {r.next_due} (last: {r.summary})" for r in records)
            notify_operators(f"Maintenance {kind}: {len(records)} asset(s)", f"Maintenance {kind}:\n{lines}")
    return {"overdue": len(overdue), "upcoming": len(upcoming)}


# --- attachments -----------------------------------------------------------------------------------

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def add_attachment(actor, asset: Asset, upload) -> AssetAttachment:
    """Keep a file with an asset (operators); the stored name is random, the upload name only displayed."""
    require_role(actor, OPERATOR, "attach files to assets")
    if upload is None:
        raise RuleViolation("Send a file in the 'file' field.", fields={"file": ["Required."]})
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise RuleViolation("Attachments may be at most 20 MB.", fields={"file": ["Too large."]})
    original = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:255]
    attachment = AssetAttachment(asset=asset, original_name=original, size=upload.size,
                                 content_type=(getattr(upload, "content_type", "") or "")[:100], uploaded_by=actor)
    attachment.file.save(original, upload, save=False)
    attachment.save()
    audit.record(actor, "asset.attach", asset, {"attachments": [None, original]})
    events.publish(asset_topics(asset), ASSET_ATTACHMENT_ADDED, {"asset": asset.pk, "attachment": attachment.pk})
    return attachment
