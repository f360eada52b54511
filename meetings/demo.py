"""Demo meetings: a standup with notes, analyzed offline into decisions and proposed action items."""
from datetime import timedelta

from django.utils import timezone

from accounts import roles
from accounts.demo import get_demo_user

from . import services
from .models import Meeting

NOTES = ("Good morning everyone. The spectrometer drifted again over the weekend. "
         "Priya, can you recalibrate the spectrometer by Friday? Sure. "
         "Marco already replaced the centrifuge rotor last week. Someone should clean the fume hood. "
         "Lena will order two boxes of nitrile gloves by Wednesday. "
         "We decided to keep the centrifuge log on paper for now.")


def seed(stdout):
    """Create the demo standup once and analyze its notes; a second run changes nothing."""
    if Meeting.objects.filter(title="Monday standup").exists():
        return
    operator = get_demo_user(roles.OPERATOR)
    member = get_demo_user(roles.MEMBER)
    monday = timezone.now() - timedelta(days=timezone.now().weekday())
    meeting = services.create_meeting(
        operator, title="Monday standup", kind="standup", starts_at=monday.replace(hour=9, minute=0, second=0),
        agenda="Instrument status, consumables", notes=NOTES,
        attendees=[{"user": member}, {"name": "Priya Shah", "email": "priya@example.org"},
                   {"name": "Marco Rossi"}, {"name": "Lena Vogel"}])
    services.start_analysis(operator, meeting)
    stdout.write("meetings: Monday standup with proposed action items")
