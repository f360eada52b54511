"""Bookable devices, their maintenance windows and policy, bookings, series and favourites.

Invariants that the database can hold are declared here (end after start, a
positive holder cap, one favourite per user and device). "Two confirmed
bookings of one device never overlap" is an exclusion constraint in
PostgreSQL, added by migration 0002 on PostgreSQL only (see
``scheduler.dbops``); the embedded mode holds the same rule under a lock in
``scheduler.services``.
"""
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel


class Device(TimeStampedModel):
    """Something people book: an instrument, a machine, a test bed."""

    class Status(models.TextChoices):
        AVAILABLE = "available", "Available"
        MAINTENANCE = "maintenance", "In maintenance"
        UNAVAILABLE = "unavailable", "Unavailable"

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    # Type and the physical asset live in the inventory app; the scheduler only points at them.
    device_type = models.ForeignKey(
        "inventory.DeviceType", null=True, blank=True, on_delete=models.PROTECT, related_name="bookable_devices"
    )
    asset = models.OneToOneField(
        "inventory.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookable_device"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AVAILABLE, db_index=True)
    owner_group = models.ForeignKey(
        "auth.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_devices"
    )
    max_holders = models.PositiveSmallIntegerField(
        default=2, help_text="How many active bookings may overlap at one moment (a clash beyond this is refused)."
    )
    # Booking policy; an empty limit means "no limit".
    min_minutes = models.PositiveIntegerField(null=True, blank=True, help_text="Shortest booking, in minutes.")
    max_minutes = models.PositiveIntegerField(null=True, blank=True, help_text="Longest booking, in minutes.")
    max_days_ahead = models.PositiveIntegerField(null=True, blank=True, help_text="How far ahead one may book.")
    max_hours_per_day = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="Hours one user may hold per day."
    )
    requires_qualification = models.BooleanField(default=False)
    qualified_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="qualified_devices")
    auto_approve = models.BooleanField(
        default=False, help_text="A request over a free slot is confirmed at once instead of waiting for an operator."
    )
    books_linked_devices = models.BooleanField(
        default=False, help_text="A request for this device also books the devices its port links lead to, "
                                 "as one group (all or nothing)."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(max_holders__gte=1), name="device_max_holders_positive"),
            models.CheckConstraint(
                condition=Q(min_minutes__isnull=True) | Q(max_minutes__isnull=True)
                | Q(max_minutes__gte=models.F("min_minutes")),
                name="device_policy_min_le_max",
            ),
        ]

    def __str__(self):
        return self.name


class MaintenanceWindow(TimeStampedModel):
    """A stretch of time when a device cannot be booked."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="maintenance_windows")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="maintenance_end_after_start"),
        ]
        indexes = [models.Index(fields=["device", "start"], name="maintenance_device_start")]

    def __str__(self):
        return f"{self.device} maintenance {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class BookingSeries(TimeStampedModel):
    """A recurring request: an RRULE whose occurrences became individual bookings."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_series")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="series")
    rrule = models.CharField(max_length=300, help_text="RFC 5545 rule, e.g. FREQ=WEEKLY;COUNT=6.")
    first_start = models.DateTimeField()
    duration = models.DurationField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "booking series"

    def __str__(self):
        return f"{self.device} {self.rrule}"


class Booking(TimeStampedModel):
    """One user's claim on one device for one time range; the server decides its status."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CONFLICTING = "conflicting", "Conflicting"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"

    # Statuses that hold the slot: they count for overlaps and the holder cap.
    ACTIVE = (Status.PENDING, Status.CONFLICTING, Status.CONFIRMED)
    UNDECIDED = (Status.PENDING, Status.CONFLICTING)

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings")
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    group_id = models.UUIDField(null=True, blank=True, db_index=True, help_text="Shared by a multi-device request.")
    series = models.ForeignKey(BookingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings")
    collaborators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="shared_bookings")
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True, help_text="Why it was rejected, cancelled or expired.")
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="booking_end_after_start")]
        indexes = [
            # The conflict check reads active bookings of one device whose start lies in a window
            # bounded by the longest allowed booking (see queries.overlapping), so it stays an index
            # range scan however many bookings the table holds.
            models.Index(
                fields=["device", "start"],
                name="booking_active_device_start",
                condition=Q(status__in=["pending", "conflicting", "confirmed"]),
            ),
            models.Index(fields=["user", "start"], name="booking_user_start"),
            models.Index(fields=["status", "end"], name="booking_status_end"),
            models.Index(fields=["start", "id"], name="booking_start_id"),
        ]

    def __str__(self):
        return f"{self.device} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_undecided(self) -> bool:
        return self.status in self.UNDECIDED


class Favourite(models.Model):
    """A device a user keeps at hand."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourite_devices")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="favourited_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["device__name"]
        constraints = [models.UniqueConstraint(fields=["user", "device"], name="favourite_once_per_user")]

    def __str__(self):
        return f"{self.user} ♥ {self.device}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's secret token for iCal feeds: calendar apps cannot log in, so the URL is the credential."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"calendar feed of {self.user}"


def new_group_id() -> uuid.UUID:
    return uuid.uuid4()


# Power and topology tables live in their own modules; importing them here registers them with the app.
from .power_models import PDU, Outlet  # noqa: E402, F401
from .topology_models import DeviceLink, LinkEnd  # noqa: E402, F401
