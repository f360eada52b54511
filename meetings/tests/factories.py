"""Factories for meetings, attendees and action items."""
from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.tests.factories import UserFactory
from meetings.models import ActionItem, Attendee, Comment, Meeting, Recording

AUDIO = b"RIFF\x24\x00\x00\x00WAVEfmt "  # the head of a WAV file; nothing reads the samples


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


class RecordingFactory(factory.django.DjangoModelFactory):
    """A queued recording of a meeting."""

    class Meta:
        model = Recording

    meeting = factory.SubFactory(MeetingFactory)
    audio_format = "wav"
    file = factory.LazyFunction(lambda: ContentFile(AUDIO, name="recording.wav"))
    original_name = factory.Sequence(lambda n: f"standup-{n}.wav")
    size = len(AUDIO)
    uploaded_by = factory.LazyAttribute(lambda r: r.meeting.created_by)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    meeting = factory.SubFactory(MeetingFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Can we move the order to Friday? ({n})")



def meeting_with(user, **fields) -> Meeting:
    """A meeting the given user attended (when there is a user)."""
    meeting = MeetingFactory(**fields)
    if user is not None:
        AttendeeFactory(meeting=meeting, user=user)
    return meeting
