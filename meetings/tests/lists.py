"""List endpoints of meetings for the query-count table (see core.testing.ListCase)."""
from datetime import timedelta

from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.testing import ListCase
from meetings.models import ActionItem, Meeting, MeetingVersion
from projects.tests.factories import TaskFactory

from .factories import ActionItemFactory, AttendeeFactory, CommentFactory, RecordingFactory, meeting_with


def _meeting_with_a_guest(user):
    meeting = meeting_with(user, decisions=["Order more PLA"], project_id=7, agenda="Stock, then the laser.")
    AttendeeFactory(meeting=meeting, user=None, name="Visitor", email="visitor@example.org")
    return meeting


def _item(user):
    """Items of every kind of owner and due day: a user, a name; late, open, done; one made a task."""
    n = ActionItem.objects.count()
    meeting = meeting_with(user)
    if n % 3 == 0:
        return ActionItemFactory(meeting=meeting, owner_user=UserFactory(), owner_name="",
                                 due=timezone.localdate() - timedelta(days=2), confidence=0.9,
                                 project_task_id=TaskFactory().pk)
    if n % 3 == 1:
        return ActionItemFactory(meeting=meeting, due=timezone.localdate() + timedelta(days=2))
    return ActionItemFactory(meeting=meeting, status=ActionItem.Status.DONE, completed_at=timezone.now(),
                             due=timezone.localdate() - timedelta(days=9))


def _listed_meeting(user):
    return Meeting.objects.filter(title="Listed").first() or meeting_with(user, title="Listed")


def _version(user):
    meeting = _listed_meeting(user)
    return MeetingVersion.objects.create(meeting=meeting, number=meeting.versions.count() + 1,
                                         data={"title": meeting.title}, actor=user)


def meeting_versions(user):
    return f"/api/meetings/meetings/{_listed_meeting(user).pk}/versions/"


def meeting_comments(user):
    return f"/api/meetings/meetings/{_listed_meeting(user).pk}/comments/"


def meeting_recordings(user):
    return f"/api/meetings/meetings/{_listed_meeting(user).pk}/recordings/"


LISTS = [
    ListCase("/api/meetings/meetings/", _meeting_with_a_guest, name="meetings"),
    ListCase("/api/meetings/action-items/", _item, name="action_items"),
    ListCase(meeting_versions, _version),
    ListCase(meeting_comments, lambda user: CommentFactory(meeting=_listed_meeting(user), author=user)),
    ListCase(meeting_recordings, lambda user: RecordingFactory(meeting=_listed_meeting(user), duration=61.5)),
]
