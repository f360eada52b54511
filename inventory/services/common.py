"""Pieces the inventory services share: quantities, references, topics."""
from decimal import Decimal, InvalidOperation

from core.errors import RuleViolation


def to_quantity(value, field: str = "quantity", *, allow_zero: bool = False, allow_negative: bool = False) -> Decimal:
    """A Decimal quantity with at most 3 decimal places, or a RuleViolation naming the field."""
    try:
        qty = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise RuleViolation(f"{field} must be a number such as 2 or 0.5.", fields={field: ["Not a number."]})
    if not qty.is_finite():
        raise RuleViolation(f"{field} must be a finite number.", fields={field: ["Not a number."]})
    if qty != qty.quantize(Decimal("0.001")):
        raise RuleViolation(f"{field} has more than 3 decimal places.", fields={field: ["At most 3 decimals."]})
    if abs(qty) >= Decimal("1e11"):
        raise RuleViolation(f"{field} is too large.", fields={field: ["Too large."]})
    if qty < 0 and not allow_negative:
        raise RuleViolation(f"{field} must not be negative.", fields={field: ["Must not be negative."]})
    if qty == 0 and not allow_zero:
        raise RuleViolation(f"{field} must be more than zero.", fields={field: ["Must be more than zero."]})
    return qty.quantize(Decimal("0.001"))


def money(value, field: str) -> Decimal:
    """A non-negative price with at most 4 decimal places."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise RuleViolation(f"{field} must be a number such as 0.025.", fields={field: ["Not a number."]})
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e8") or amount != amount.quantize(Decimal("0.0001")):
        raise RuleViolation(f"{field} must be between 0 and 99999999 with at most 4 decimals.",
                            fields={field: ["Out of range."]})
    return amount


def plain(qty: Decimal) -> str:
    """A quantity as people write it: 3, 0.5 (no trailing zeros)."""
    text = format(qty.normalize(), "f")
    return "0" if text in ("-0", "") else text


def reference(reference_type: str | None, reference_id) -> tuple[str, str]:
    """Normalise a generic reference (``projects.project``, 42); both parts or neither."""
    ref_type = (reference_type or "").strip().lower()
    ref_id = "" if reference_id in (None, "") else str(reference_id).strip()
    if bool(ref_type) != bool(ref_id):
        raise RuleViolation("Give both reference_type and reference_id, or neither.",
                            fields={"reference_type": ["Needs reference_id too."]})
    if len(ref_type) > 100 or len(ref_id) > 64:
        raise RuleViolation("The reference is too long.", fields={"reference_id": ["Too long."]})
    return ref_type, ref_id


def asset_topics(asset) -> list[str]:
    return ["inventory", f"asset:{asset.pk}"]


def material_topics(material) -> list[str]:
    return ["inventory", f"material:{material.pk}"]
