"""Recommendations: equivalent devices for a wanted type and window, ranked, with earliest free slots and a forecast.

Each device of the type gets
- availability over the window: 1.0 free, 0.5 shareable (active bookings below its holder
  cap, so a request would wait as conflicting), 0.0 taken, in maintenance or out of service;
- reliability from the last 90 days of bookings: 0.5 × confirmed rate (confirmed among those
  decided) + 0.5 × (1 − conflict rate: rejected or still conflicting among all); 0.75 when
  the device has no history;
- fit: 1.0, less 0.25 for each policy rule the window breaks (length, days ahead, a
  qualification the asker lacks);
and a score of 0.5 × availability + 0.3 × reliability + 0.2 × fit. The earliest free slot
of the same length is looked for in the next ``SEARCH_DAYS`` days; the forecast gives the
free share of each of the next ``FORECAST_DAYS`` days.
"""
from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from core.errors import RuleViolation
from inventory.models import DeviceType

from .models import Booking, Device, MaintenanceWindow

HISTORY_DAYS = 90
FORECAST_DAYS = 14
SEARCH_DAYS = 14


def wanted_type(value) -> DeviceType:
    """The device type named by id or by name; 400 naming ``type`` when there is none."""
    kind = None
    if str(value).isdigit():
        kind = DeviceType.objects.filter(pk=int(value)).first()
    kind = kind or DeviceType.objects.filter(name=value).first()
    if kind is None:
        raise RuleViolation(f"There is no device type {value!r}: give its id or exact name.",
                            fields={"type": ["unknown device type"]})
    return kind


def _merge(intervals):
    merged = []
    for s, e in sorted(intervals):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return merged


def _reliability(device_ids, now) -> dict[int, dict]:
    since = now - timedelta(days=HISTORY_DAYS)
    decided = [Booking.Status.CONFIRMED, Booking.Status.REJECTED, Booking.Status.CANCELLED, Booking.Status.EXPIRED]
    rows = (Booking.objects.filter(device_id__in=device_ids, start__gte=since, start__lt=now + timedelta(days=1))
            .values("device_id")
            .annotate(total=Count("id"),
                      confirmed=Count("id", filter=Q(status=Booking.Status.CONFIRMED)),
                      decided=Count("id", filter=Q(status__in=decided)),
                      clashed=Count("id", filter=Q(status__in=[Booking.Status.REJECTED,
                                                                Booking.Status.CONFLICTING]))))
    found = {}
    for r in rows:
        confirmed_rate = r["confirmed"] / r["decided"] if r["decided"] else 0.5
        conflict_rate = r["clashed"] / r["total"] if r["total"] else 0.0
        found[r["device_id"]] = {"bookings": r["total"], "confirmed_rate": round(confirmed_rate, 3),
                                 "conflict_rate": round(conflict_rate, 3),
                                 "score": round(0.5 * confirmed_rate + 0.5 * (1 - conflict_rate), 3)}
    return found


def _fit(device: Device, user, start, end, now) -> tuple[float, list[str]]:
    minutes = (end - start).total_seconds() / 60
    issues = []
    if device.min_minutes and minutes < device.min_minutes:
        issues.append(f"at least {device.min_minutes} minutes")
    if device.max_minutes and minutes > device.max_minutes:
        issues.append(f"at most {device.max_minutes} minutes")
    if device.max_days_ahead is not None and start > now + timedelta(days=device.max_days_ahead):
        issues.append(f"at most {device.max_days_ahead} days ahead")
    if device.requires_qualification and (user is None or user.pk not in device.qualified_ids):
        issues.append("needs a qualification")
    return max(0.0, 1.0 - 0.25 * len(issues)), issues


def recommend(kind: DeviceType, start: datetime, end: datetime, *, user=None, now: datetime | None = None) -> dict:
    """Devices of ``kind`` ranked for ``[start, end)``, each with its scores, earliest free slot and forecast."""
    if end <= start:
        raise RuleViolation("The end must be after the start.", fields={"end": ["before start"]})
    if end - start > timedelta(days=31):
        raise RuleViolation("Ask about at most 31 days at once.", fields={"end": ["window too long"]})
    now = now or timezone.now()
    devices = list(Device.objects.filter(device_type=kind).prefetch_related("qualified_users"))
    for device in devices:
        device.qualified_ids = {u.pk for u in device.qualified_users.all()}
    ids = [d.pk for d in devices]
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    duration = end - start
    horizon_lo = min(start, today)
    horizon_hi = max(end, start + timedelta(days=SEARCH_DAYS) + duration, today + timedelta(days=FORECAST_DAYS))
    busy, holders = defaultdict(list), defaultdict(list)
    for device_id, s, e in (Booking.objects.filter(device_id__in=ids, status__in=Booking.ACTIVE,
                                                    start__lt=horizon_hi, end__gt=horizon_lo)
                            .values_list("device_id", "start", "end")):
        busy[device_id].append((s, e))
        if s < end and e > start:
            holders[device_id].append((s, e))
    closed = defaultdict(list)
    for device_id, s, e in (MaintenanceWindow.objects.filter(device_id__in=ids, start__lt=horizon_hi,
                                                               end__gt=horizon_lo)
                            .values_list("device_id", "start", "end")):
        closed[device_id].append((s, e))
    reliability = _reliability(ids, now)
    ranked = []
    for device in devices:
        blocked = _merge(busy[device.pk] + closed[device.pk])
        in_maintenance = any(s < end and e > start for s, e in closed[device.pk])
        if device.status != Device.Status.AVAILABLE or in_maintenance:
            availability = 0.0
        elif not holders[device.pk]:
            availability = 1.0
        else:
            availability = 0.5 if len(holders[device.pk]) < device.max_holders else 0.0
        history = reliability.get(device.pk, {"bookings": 0, "confirmed_rate": None, "conflict_rate": None,
                                              "score": 0.75})
        fit, issues = _fit(device, user, start, end, now)
        ranked.append({
            "device": device.pk, "device_name": device.name, "status": device.status,
            "score": round(0.5 * availability + 0.3 * history["score"] + 0.2 * fit, 4),
            "availability": availability, "reliability": history, "fit": fit, "policy_issues": issues,
            "earliest_free": _earliest(blocked, max(start, now), duration, start + timedelta(days=SEARCH_DAYS))
            if device.status == Device.Status.AVAILABLE else None,
            "forecast": _forecast(blocked, today),
        })
    ranked.sort(key=lambda r: (-r["score"], r["device_name"]))
    return {"type": {"id": kind.pk, "name": kind.name}, "start": start, "end": end, "devices": ranked}


def _earliest(blocked, after, duration, until) -> dict | None:
    """The first ``duration`` long gap at or after ``after`` that starts before ``until``."""
    moment = after
    for s, e in blocked:
        if e <= moment:
            continue
        if s - moment >= duration:
            break
        moment = max(moment, e)
    if moment > until:
        return None
    return {"start": moment, "end": moment + duration}


def _forecast(blocked, today) -> list[dict]:
    days = []
    for offset in range(FORECAST_DAYS):
        lo = today + timedelta(days=offset)
        hi = lo + timedelta(days=1)
        taken = sum(max(0.0, (min(e, hi) - max(s, lo)).total_seconds()) for s, e in blocked)
        days.append({"date": lo.date(), "free": round(1 - taken / (hi - lo).total_seconds(), 3)})
    return days
