"""Factories for meetings, attendees and action items."""
from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import ActionItem, Attendee, Meeting


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Lab meeting {n}")
    kind = Meeting.Kind.STANDUP
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    created_by = factory.SubFactory(UserFactory)


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendee

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda a: a.user.get_username() if a.user else "Guest")


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    task = factory.Sequence(lambda n: f"Order nitrile gloves batch {n}")
    owner_name = "Priya"
    status = ActionItem.Status.OPEN


def meeting_with(user, **fields) -> Meeting:
    """A meeting the given user attended (when there is a user)."""
    meeting = MeetingFactory(**fields)
    if user is not None:
        AttendeeFactory(meeting=meeting, user=user)
    return meeting
