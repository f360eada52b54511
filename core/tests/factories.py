"""Factories for the platform's own tables (audit trail, events, role groups) and for the tables of the
libraries the admin shows (token blacklist, Celery beat schedules). They arrange a scene only."""
import uuid
from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.tests.factories import UserFactory
from core.models import AuditEntry, Event


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    actor = factory.SubFactory(UserFactory)
    actor_kind = AuditEntry.ActorKind.USER
    actor_label = factory.LazyAttribute(lambda e: e.actor.username)
    action = "thing.update"
    object_type = "accounts.user"
    object_id = factory.LazyAttribute(lambda e: str(e.actor.pk))
    object_repr = factory.LazyAttribute(lambda e: str(e.actor))
    changes = factory.LazyFunction(lambda: {"name": ["old", "new"]})
    via = "web"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    topic = "system"
    type = "user.registered"
    data = factory.Sequence(lambda n: {"id": n})
    position = factory.Sequence(lambda n: n + 1)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"group {n}")


class OutstandingTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutstandingToken

    user = factory.SubFactory(UserFactory)
    jti = factory.LazyFunction(lambda: uuid.uuid4().hex)
    token = factory.LazyAttribute(lambda t: f"token-{t.jti}")
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))


class BlacklistedTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlacklistedToken

    token = factory.SubFactory(OutstandingTokenFactory)


class IntervalScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntervalSchedule

    every = factory.Sequence(lambda n: n + 1)
    period = IntervalSchedule.MINUTES


class CrontabScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrontabSchedule

    minute = factory.Sequence(lambda n: str(n % 60))
    hour = "3"


class SolarScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SolarSchedule

    event = "sunrise"
    latitude = factory.Sequence(lambda n: n % 80)
    longitude = factory.Sequence(lambda n: n % 170)


class ClockedScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClockedSchedule

    clocked_time = factory.Sequence(lambda n: timezone.now() + timedelta(hours=n + 1))


class PeriodicTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeriodicTask

    name = factory.Sequence(lambda n: f"task {n}")
    task = "scheduler.tasks.expire_bookings"
    interval = factory.SubFactory(IntervalScheduleFactory)
