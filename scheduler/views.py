"""Staff pages: the calendar (week or day, live, htmx) and the device page.

Booking, "my bookings" and the operator queue live in ``booking_views`` and ``queue_views``.
"""
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import MEMBER, OPERATOR, has_role
from core.errors import DomainError
from core.pages import viewer_required
from core.parsing import as_id

from . import services
from .models import Booking, Device, Favourite
from .queries_power import attach_power
from .services.linked import linked_devices

DAY_HOURS = range(7, 21)  # the day view's rows; bookings outside them still show in the first/last row
SHOWN = [Booking.Status.PENDING, Booking.Status.CONFLICTING, Booking.Status.CONFIRMED]


def _asked_day(request, name: str) -> date:
    try:
        day = date.fromisoformat(request.GET.get(name) or request.POST.get(name) or "")
    except ValueError:
        day = timezone.localdate()
    if not 1 < day.year < 9999:  # the grid adds and subtracts days; keep clear of date's limits
        day = timezone.localdate()
    return day


def _week_start(request) -> date:
    """Monday of the week asked for with ``?week=YYYY-MM-DD`` (this week when absent or malformed)."""
    day = _asked_day(request, "week")
    return day - timedelta(days=day.weekday())


def _devices(request):
    """Devices after the type and "my devices" filters."""
    devices = Device.objects.select_related("device_type").order_by("name")
    if as_id(request.GET.get("type")):
        devices = devices.filter(device_type_id=as_id(request.GET["type"]))
    if as_id(request.GET.get("device")):
        devices = devices.filter(pk=as_id(request.GET["device"]))
    if request.GET.get("mine") == "1":
        devices = devices.filter(favourited_by__user=request.user)
    return list(devices)


def _bookings(start: datetime, end: datetime, device_ids):
    return (Booking.objects.filter(start__lt=end, end__gt=start, status__in=SHOWN, device_id__in=device_ids)
            .select_related("user").order_by("start"))


def _filters(request) -> dict:
    from inventory.models import DeviceType

    return {
        "types": DeviceType.objects.filter(bookable_devices__isnull=False).distinct().order_by("name"),
        "type": as_id(request.GET.get("type")), "mine": request.GET.get("mine") == "1",
        "all_devices": Device.objects.order_by("name").only("pk", "name"), "device": as_id(request.GET.get("device")),
        "can_book": has_role(request.user, MEMBER), "is_operator": has_role(request.user, OPERATOR),
    }


def _query(request, **changes) -> str:
    params = {k: v for k, v in request.GET.items() if k in ("type", "device", "mine", "view", "week", "day")}
    params.update({k: v for k, v in changes.items() if v is not None})
    return "&".join(f"{k}={v}" for k, v in params.items() if v != "")


def week_context(request, error: str = "") -> dict:
    """Devices × the seven days of the week, each cell with its bookings, in two queries."""
    monday = _week_start(request)
    days = [monday + timedelta(days=n) for n in range(7)]
    start = timezone.make_aware(datetime.combine(monday, time.min))
    devices = _devices(request)
    cells = {(d.pk, day): [] for d in devices for day in days}
    for booking in _bookings(start, start + timedelta(days=7), [d.pk for d in devices]):
        first = max(timezone.localtime(booking.start).date(), monday)
        last = min(timezone.localtime(booking.end - timedelta(microseconds=1)).date(), days[-1])
        day = first
        while day <= last:
            cells[(booking.device_id, day)].append(booking)
            day += timedelta(days=1)
    rows = [{"device": d, "cells": [{"day": day, "bookings": cells[(d.pk, day)]} for day in days]}
            for d in devices]
    return {
        "view": "week", "days": days, "rows": rows, "week": monday, "error": error, "today": timezone.localdate(),
        "previous": _query(request, view="week", week=monday - timedelta(days=7)),
        "next": _query(request, view="week", week=monday + timedelta(days=7)),
        "other_view": _query(request, view="day", day=max(monday, min(timezone.localdate(), days[-1]))),
        "here": _query(request, view="week", week=monday), **_filters(request),
    }


def day_context(request, error: str = "") -> dict:
    """One day: hours × devices, each hour either its bookings or a free slot to click."""
    day = _asked_day(request, "day")
    start = timezone.make_aware(datetime.combine(day, time.min))
    devices = _devices(request)
    bookings = list(_bookings(start, start + timedelta(days=1), [d.pk for d in devices]))
    hours = []
    for hour in DAY_HOURS:
        slot_start = start + timedelta(hours=hour)
        slot_end = slot_start + timedelta(hours=1)
        if hour == DAY_HOURS[0]:
            slot_start = start
        if hour == DAY_HOURS[-1]:
            slot_end = start + timedelta(days=1)
        slots = []
        for device in devices:
            here = [b for b in bookings if b.device_id == device.pk and b.start < slot_end and b.end > slot_start]
            slots.append({"device": device, "bookings": here,
                          "start": start + timedelta(hours=hour), "past": slot_end <= timezone.now()})
        hours.append({"hour": hour, "slots": slots})
    return {
        "view": "day", "day": day, "devices": devices, "hours": hours, "error": error,
        "previous": _query(request, view="day", day=day - timedelta(days=1)),
        "next": _query(request, view="day", day=day + timedelta(days=1)),
        "other_view": _query(request, view="week", week=day - timedelta(days=day.weekday())),
        "here": _query(request, view="day", day=day), **_filters(request),
    }


def calendar_context(request, error: str = "") -> dict:
    if (request.GET.get("view") or request.POST.get("view")) == "day":
        context = day_context(request, error)
        devices = context["devices"]
    else:
        context = week_context(request, error)
        devices = [row["device"] for row in context["rows"]]
    # Outlet states beside each device; the page follows the PDUs feeding them, so a switch shows live.
    context["live_topics"] = ",".join(["scheduler", *attach_power(devices)])
    return context


@viewer_required
@require_GET
def calendar(request):
    """The calendar: week (devices × days) or day (hours × devices); click free time to book; live."""
    return render(request, "scheduler/calendar.html", calendar_context(request))


@viewer_required
@require_GET
def calendar_grid(request):
    """Only the grid, for htmx to swap in after a live event."""
    return render(request, "scheduler/_grid.html", calendar_context(request))


@login_required
@require_POST
def decide(request, pk: int, decision: str):
    """Approve or reject from the calendar (operators); answers the refreshed grid with any refusal in it."""
    service = services.approve_booking if decision == "approve" else services.reject_booking
    error = ""
    try:
        service(request.user, pk, request.POST.get("reason", ""))
    except DomainError as exc:
        error = exc.detail
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(f"{reverse('scheduler:calendar')}?week={_week_start(request)}")
    return render(request, "scheduler/_grid.html", calendar_context(request, error))


@viewer_required
@require_GET
def device_detail(request, pk: int):
    """A device: its booking rules, who is qualified, maintenance ahead and the next bookings."""
    device = get_object_or_404(Device.objects.select_related("device_type", "asset", "owner_group"), pk=pk)
    now = timezone.now()
    return render(request, "scheduler/device.html", {
        "device": device,
        "qualified": device.qualified_users.order_by("username") if device.requires_qualification else [],
        "is_qualified": not device.requires_qualification or device.qualified_users.filter(
            pk=request.user.pk).exists(),
        "maintenance": device.maintenance_windows.filter(end__gt=now).order_by("start")[:20],
        "upcoming": device.bookings.filter(end__gt=now, status__in=SHOWN).select_related("user")
        .order_by("start")[:20],
        "favourite": Favourite.objects.filter(user=request.user, device=device).exists(),
        "can_book": has_role(request.user, MEMBER),
        "outlets": services.power.pdus_feeding(device),
        "linked": linked_devices(device),
    })


@login_required
@require_POST
def favourite(request, pk: int):
    """Add the device to "my devices", or take it off."""
    try:
        if request.POST.get("on") == "1":
            services.add_favourite(request.user, pk)
        else:
            services.remove_favourite(request.user, pk)
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("scheduler:device", pk=pk)
