"""Who holds reserved stock, and who may release or consume it.

A reservation belongs to the user who made it, for the reference it was made for (a project,
a machine job; stock reserved without a reference is a pool of its own). Every ledger row that
changes ``allocated`` names its ``holder``, so each user's share of a stock row's reservations
is a ledger sum. The stock row is locked by the caller, so these sums cannot move underneath.
"""
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Sum

from accounts.roles import OPERATOR, has_role
from core.errors import Conflict, PermissionDenied

from ..models import StockItem
from .common import plain


def holdings(item: StockItem, ref: tuple[str, str]) -> dict[int | None, Decimal]:
    """What each holder (user id, None for rows without one) still has reserved on ``item`` for ``ref``."""
    rows = (item.movements.filter(reference_type=ref[0], reference_id=ref[1]).exclude(allocated_change=0)
            .order_by().values("holder").annotate(total=Sum("allocated_change")))
    # SQLite sums decimals as floats: round back to the column's 3 places.
    return {row["holder"]: Decimal(row["total"]).quantize(Decimal("0.001")) for row in rows}


def draw_on_reservation(actor, item: StockItem, ref: tuple[str, str], qty: Decimal, *, holder=None,
                        doing: str = "release") -> int | None:
    """Whose reservation a release or a consumption from allocation takes ``qty`` out of (its holder's id).

    Members take only from their own reservation for ``ref``; operators from anyone's, naming
    ``holder`` when several users hold one for ``ref`` on this row. Refused with 403 when a
    member reaches for someone else's reservation, 409 when the holder has less reserved
    (and, without a reference, a hint that the rest is reserved for a named one).
    """
    held = holdings(item, ref)
    holder_id = _holder_id(actor, item, ref, held, holder, doing)
    # Never more than the reference's whole pool or the row's total: the ledger and
    # ``StockItem.allocated`` must keep agreeing whatever an old row says.
    pool = min(sum(held.values(), Decimal(0)), item.allocated)
    mine = max(Decimal(0), min(held.get(holder_id, Decimal(0)), pool))
    if qty <= mine:
        return holder_id
    unit, name = item.material.unit, item.material.name
    whose = "You hold" if holder_id == actor.pk else f"{_names([holder_id])} holds"
    message = f"{whose} {plain(mine)} {unit} of {name} reserved{_for(ref)} at {item.location}; cannot {doing} " \
              f"{plain(qty)}."
    others = pool - mine
    if others > 0 and not has_role(actor, OPERATOR):
        raise PermissionDenied(f"{message} The other {plain(others)} {unit} were reserved by someone else; only "
                               f"they or an operator may {doing} them.", code="not_your_reservation",
                               available=plain(mine))
    named = item.allocated - pool
    if not ref[0] and named > 0:
        message += f" {plain(named)} {unit} are reserved for a named reference (a project, a job): give its " \
                   f"reference_type and reference_id to {doing} from it."
    raise Conflict(message, code="insufficient_allocation", available=plain(mine),
                   fields={"quantity": [f"At most {plain(mine)}."]})


def _holder_id(actor, item: StockItem, ref, held: dict, holder, doing: str) -> int | None:
    """The reservation to draw on: a member's own; for an operator the named holder or the only one."""
    if not has_role(actor, OPERATOR):
        if holder is not None and holder.pk != actor.pk:
            raise PermissionDenied(f"Only {holder} or an operator may {doing} stock {holder} reserved.",
                                   fields={"holder": ["Not you."]})
        return actor.pk
    if holder is not None:
        return holder.pk
    holding = [pk for pk, qty in held.items() if qty > 0]
    if len(holding) > 1:
        raise Conflict(f"{item.material.name}{_for(ref)} at {item.location} is reserved by {_names(holding)}; "
                       f"say whose reservation to {doing} (holder).", code="holder_required",
                       fields={"holder": ["Several users hold reservations here."]})
    return holding[0] if holding else actor.pk


def _names(user_ids) -> str:
    """The holders as people read them, for a message."""
    users = get_user_model().objects.in_bulk([pk for pk in user_ids if pk is not None])
    return ", ".join(str(users[pk]) if pk in users else "nobody (a system change)" for pk in user_ids)


def _for(ref) -> str:
    return f" for {ref[0]} #{ref[1]}" if ref[0] else ""
