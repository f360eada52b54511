"""Booking from the calendar and looking after one's own bookings ("my bookings").

Each form posts to a view that calls the scheduler service; a refusal (``DomainError``) comes
back in place of the form with the service's own message, never as an error page.
"""
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import MEMBER
from core.errors import DomainError
from core.pages import role_required
from core.parsing import as_id

from . import queries, services
from .forms import BookingRequestForm, ExtendForm, RebookForm, first_error
from .linked_views import linked_for
from .models import Booking, Device
from .queries_recommend import recommend

PEOPLE_SHOWN = 12


def _initial(request) -> dict:
    """The form's first values from the clicked slot: ``?device=&start=`` (an hour by default)."""
    initial = {}
    device = Device.objects.filter(pk=as_id(request.GET.get("device"))).first()
    if device:
        initial["device"] = device
    try:
        start = datetime.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        now = timezone.localtime()
        start = now.replace(minute=0, second=0, microsecond=0, tzinfo=None) + timedelta(hours=1)
    try:
        end = datetime.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = start + timedelta(hours=1)
    initial.update(start=start, end=end if end > start else start + timedelta(hours=1))
    return initial


def alternatives_for(user, device, start, end, count: int = 3) -> list[dict]:
    """Devices of the same type free over the asked time, best first, for a request that was refused as taken."""
    if not device.device_type_id:
        return []
    ranked = recommend(device.device_type, start, end, user=user)["devices"]
    return [r for r in ranked if r["device"] != device.pk and r["availability"] == 1.0][:count]


@role_required(MEMBER)
def book(request):
    """GET: the booking form for a clicked slot. POST: request it and answer the outcome in place."""
    if request.method != "POST":
        initial = _initial(request)
        return _answer(request, "scheduler/_book_form.html", {"form": BookingRequestForm(initial=initial),
                                                               "linked": linked_for(initial.get("device"))})
    form = BookingRequestForm(request.POST)
    if not form.is_valid():
        return _refused(request, form, first_error(form))
    data = form.cleaned_data
    people = [u.pk for u in data["collaborators"]]
    rule = form.repeat_rule()
    try:
        if rule:
            _series, outcomes = services.create_series(request.user, data["device"].pk, data["start"], data["end"],
                                                       rule, comment=data["comment"], collaborator_ids=people)
            booked = Booking.objects.filter(pk__in=[o["booking"] for o in outcomes if o["booked"]]) \
                .select_related("device").order_by("start")
            return _answer(request, "scheduler/_book_result.html", {
                "bookings": booked, "refused": [o for o in outcomes if not o["booked"]]})
        booking = services.create_booking(request.user, data["device"].pk, data["start"], data["end"],
                                          comment=data["comment"], collaborator_ids=people)
    except DomainError as exc:
        alternatives = alternatives_for(request.user, data["device"], data["start"], data["end"]) \
            if exc.status_code == 409 else []
        return _refused(request, form, exc.detail, alternatives=alternatives)
    # A device that books its linked devices answers with the whole group it booked.
    bookings = Booking.objects.filter(group_id=booking.group_id).select_related("device").order_by("device__name") \
        if booking.group_id else [booking]
    return _answer(request, "scheduler/_book_result.html", {"bookings": bookings, "refused": []})


def _refused(request, form, error: str, alternatives=()):
    # htmx swaps only 2xx answers by default; a plain form post gets the honest status.
    return _answer(request, "scheduler/_book_form.html", {"form": form, "error": error,
                                                           "alternatives": alternatives,
                                                           "linked": linked_for(form.cleaned_data.get("device")
                                                                                if hasattr(form, "cleaned_data")
                                                                                else None)},
                   status=200 if request.htmx else 400)


def _answer(request, part: str, context: dict, status: int = 200):
    """The part alone for htmx; without JavaScript, the whole calendar with the part in its booking box."""
    if request.htmx:
        return render(request, part, context, status=status)
    from .views import calendar_context

    page = {**calendar_context(request), **context, "booking_box": part}
    return render(request, "scheduler/calendar.html", page, status=status)


@role_required(MEMBER)
@require_GET
def people(request):
    """Active users whose name, username or email starts with what was typed, as checkboxes."""
    typed = request.GET.get("q", "").strip()
    found = []
    if len(typed) >= 2:
        found = get_user_model().objects.filter(is_active=True).filter(
            Q(username__istartswith=typed) | Q(display_name__icontains=typed) | Q(email__istartswith=typed)
        ).exclude(pk=request.user.pk).order_by("username")[:PEOPLE_SHOWN]
    return render(request, "scheduler/_people.html", {"people": found, "typed": typed})


@login_required
@require_GET
def my_bookings(request):
    """The user's own bookings and those shared with them: upcoming (active only) first, then the rest."""
    now = timezone.now()
    mine = Booking.objects.filter(queries.visible_to(request.user)).distinct().select_related("device", "user")
    return render(request, "scheduler/my_bookings.html", {
        "upcoming": mine.filter(end__gt=now, status__in=Booking.ACTIVE).order_by("start")[:200],
        "earlier": mine.filter(Q(end__lte=now) | ~Q(status__in=Booking.ACTIVE)).order_by("-start")[:50],
        "today": timezone.localdate(),
    })


def _act(request, doing, done: str):
    try:
        doing()
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, done)
    return redirect("scheduler:my-bookings")


@login_required
@require_POST
def cancel(request, pk: int):
    """Cancel one of one's own bookings from "my bookings" (the page asks to confirm first)."""
    return _act(request, lambda: services.cancel_booking(request.user, pk, request.POST.get("reason", "")),
                f"Booking #{pk} is cancelled.")


@login_required
@require_POST
def extend(request, pk: int):
    """Move a booking's end later."""
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("scheduler:my-bookings")
    return _act(request, lambda: services.extend_booking(request.user, pk, form.cleaned_data["end"]),
                f"Booking #{pk} now ends later.")


@login_required
@require_POST
def rebook(request, pk: int):
    """Book the same device again on another day, same time of day."""
    form = RebookForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("scheduler:my-bookings")
    return _act(request, lambda: services.rebook(request.user, pk, form.cleaned_data["on"]),
                f"Booked again on {form.cleaned_data['on']:%a %-d %b %Y}.")
