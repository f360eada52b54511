"""Staff pages: the week calendar (live, htmx) and "my bookings"."""
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import OPERATOR, has_role
from core.errors import DomainError
from core.pages import viewer_required

from . import queries, services
from .models import Booking, Device


def _week_start(request) -> date:
    """Monday of the week asked for with ``?week=YYYY-MM-DD`` (this week when absent or malformed)."""
    try:
        day = date.fromisoformat(request.GET.get("week") or request.POST.get("week") or "")
    except ValueError:
        day = timezone.localdate()
    if not 1 < day.year < 9999:  # the grid adds and subtracts weeks; keep clear of date's limits
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


def calendar_context(request, error: str = "") -> dict:
    """Devices × the seven days of the week, each cell with its bookings, in two queries."""
    monday = _week_start(request)
    days = [monday + timedelta(days=n) for n in range(7)]
    start = timezone.make_aware(datetime.combine(monday, time.min))
    end = start + timedelta(days=7)
    devices = list(Device.objects.order_by("name"))
    bookings = (
        Booking.objects.filter(start__lt=end, end__gt=start)
        .exclude(status__in=[Booking.Status.CANCELLED, Booking.Status.EXPIRED])
        .select_related("user").order_by("start")
    )
    cells = {(d.pk, day): [] for d in devices for day in days}
    for booking in bookings:
        first = max(timezone.localtime(booking.start).date(), monday)
        last = min(timezone.localtime(booking.end - timedelta(microseconds=1)).date(), days[-1])
        day = first
        while day <= last:
            if (booking.device_id, day) in cells:
                cells[(booking.device_id, day)].append(booking)
            day += timedelta(days=1)
    rows = [{"device": d, "cells": [cells[(d.pk, day)] for day in days]} for d in devices]
    return {
        "days": days, "rows": rows, "week": monday, "error": error,
        "previous_week": monday - timedelta(days=7), "next_week": monday + timedelta(days=7),
        "is_operator": has_role(request.user, OPERATOR),
    }


@viewer_required
@require_GET
def calendar(request):
    """The week calendar: devices × days, bookings coloured by status, updated live."""
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


@login_required
@require_GET
def my_bookings(request):
    """The user's own bookings and those shared with them, upcoming first."""
    now = timezone.now()
    mine = Booking.objects.filter(queries.visible_to(request.user)).distinct().select_related("device", "user")
    return render(request, "scheduler/my_bookings.html", {
        "upcoming": mine.filter(end__gt=now).order_by("start")[:200],
        "past": mine.filter(end__lte=now).order_by("-start")[:50],
    })


@login_required
@require_POST
def cancel(request, pk: int):
    """Cancel one of one's own bookings from "my bookings"."""
    try:
        services.cancel_booking(request.user, pk, request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Booking #{pk} is cancelled.")
    return redirect("scheduler:my-bookings")
