"""List endpoints of the workshop for the query-count table (see core.testing.ListCase)."""
from core.testing import ListCase

LISTS = []


def _voice_command(user):
    from workshop.models import VoiceCommand

    return VoiceCommand.objects.create(user=user, heard="how much pla is left", intent="stock",
                                       slots={"material": "PLA"}, score=1.0, status="done", answer="750 g of PLA.")


def _someone_elses_voice_command(user):
    from accounts.tests.factories import UserFactory

    return _voice_command(UserFactory(role="member"))


LISTS += [
    ListCase("/api/voice/commands/", _voice_command, role="member", name="voice_commands"),
    ListCase("/api/voice/commands/", _someone_elses_voice_command, role="operator", name="voice_commands_of_everyone"),
]
