"""Voice commands: hear (transcribe offline), understand (parse), ask when unsure, then act through the services.

A clear, harmless command runs at once; a risky one (cancel a job, heat a heater, turn off
everything) or an unclear one (a weak name match, a missing time) is kept for two minutes
under a token and runs only when the same person confirms it. An emergency stop never waits.
"""
import secrets
import tempfile
import time
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.roles import MEMBER, OPERATOR, has_role, require_role
from core import events
from core.ai import AIError
from core.errors import DomainError, NotFound, RuleViolation
from core.timezones import zone_of
from equipment.models import Machine
from inventory.models import Location, Material
from scheduler.models import Device

from ..events import VOICE_COMMAND
from ..models import VoiceCommand
from ..voice import actions, hearing
from ..voice.parser import COMMAND_WORDS, Intent, Names, parse, parse_best

PENDING = "workshop:voice:pending:{}"


def lab_names() -> Names:
    """Every name a command may mention: machines, bookable devices, rooms and materials."""
    return Names(machines=list(Machine.objects.values_list("name", flat=True)),
                 devices=list(Device.objects.values_list("name", flat=True)),
                 rooms=list(Location.objects.filter(kind=Location.Kind.ROOM).values_list("name", flat=True)),
                 materials=list(Material.objects.values_list("name", flat=True)))


def vocabulary(names: Names) -> list[str]:
    """The words a command is made of, for the speech model's hot words: the lab's names, then the command words."""
    return names.all() + COMMAND_WORDS


def transcribe(upload, names: Names) -> list[str]:
    """The readings of an uploaded clip (likeliest first), by the meetings' offline model, helped by the lab's names."""
    from meetings.services.audio import check_upload

    check_upload(upload)
    with tempfile.NamedTemporaryFile(suffix=".audio") as file:
        for chunk in upload.chunks():
            file.write(chunk)
        file.flush()
        try:
            return hearing.readings(file.name, vocabulary(names))
        except AIError as exc:
            raise RuleViolation(f"The clip could not be transcribed: {exc}", fields={"file": ["unreadable"]}) from exc


def _plain_slots(slots: dict) -> dict:
    return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in slots.items()}


def _intent_from(stored: dict) -> Intent:
    slots = {key: datetime.fromisoformat(value) if key in ("start", "end") else value
             for key, value in stored["slots"].items()}
    return Intent(stored["intent"], slots, score=1.0, heard=stored["heard"])


def _record(actor, intent: Intent, status: str, answer: str, started: float, *, spoken=False, token="") -> VoiceCommand:
    command = VoiceCommand.objects.create(
        user=actor, heard=intent.heard[:500], spoken=spoken, intent=intent.name, slots=_plain_slots(intent.slots),
        score=intent.score, status=status, answer=answer[:500], token=token,
        seconds=round(time.perf_counter() - started, 3))
    if status == VoiceCommand.Status.DONE:
        events.publish(f"user:{actor.pk}", VOICE_COMMAND, {"intent": intent.name, "summary": answer})
    return command


def _act(actor, intent: Intent, started: float, spoken: bool) -> tuple[VoiceCommand, DomainError | None]:
    """Carry the intent out in its own transaction; a refusal is kept as the answer, not lost with a rollback."""
    try:
        with transaction.atomic():
            answer = actions.carry_out(actor, intent)
    except DomainError as exc:
        return _record(actor, intent, VoiceCommand.Status.REFUSED, exc.detail, started, spoken=spoken), exc
    return _record(actor, intent, VoiceCommand.Status.DONE, answer, started, spoken=spoken), None


def voice_command(actor, *, text: str = "", upload=None) -> tuple[VoiceCommand, DomainError | None]:
    """Hear, parse and (when clear and harmless, or an emergency stop) carry out one command (members).

    Returns the recorded command and, when a service refused it, that refusal.
    """
    started = time.perf_counter()
    require_role(actor, MEMBER, "give voice commands")
    names = lab_names()
    text = (text or "").strip()
    if upload is None and not text:
        raise RuleViolation("Send the command as 'text', or a recording as the multipart field 'file'.",
                            fields={"text": ["Say something."]})
    if len(text) > 500:
        raise RuleViolation("A command is at most 500 characters.", fields={"text": ["Too long."]})
    spoken = upload is not None
    now = timezone.localtime(timezone.now(), zone_of(actor) or timezone.get_current_timezone())
    if spoken:
        readings = transcribe(upload, names)
        if not readings:
            raise RuleViolation("No words were heard in the recording.", fields={"file": ["silent"]})
        intent = parse_best(readings, names, now)
        text = intent.heard
    else:
        intent = parse(text, names, now)
    if intent.name == "unknown":
        return _record(actor, intent, VoiceCommand.Status.UNCLEAR,
                       f"I did not understand “{text}”.", started, spoken=spoken), None
    if intent.name == "emergency_stop":
        return _act(actor, intent, started, spoken)
    if intent.missing:
        return _record(actor, intent, VoiceCommand.Status.UNCLEAR,
                       f"I understood “{actions.describe(intent)}” but need {', '.join(intent.missing)}.",
                       started, spoken=spoken), None
    if intent.risky or not intent.clear:
        token = secrets.token_urlsafe(16)
        cache.set(PENDING.format(token), {"user": actor.pk, "intent": intent.name, "heard": intent.heard,
                                          "slots": _plain_slots(intent.slots)},
                  settings.WORKSHOP_VOICE_CONFIRM_SECONDS)
        return _record(actor, intent, VoiceCommand.Status.CONFIRM, f"{actions.describe(intent).capitalize()}: confirm?",
                       started, spoken=spoken, token=token), None
    return _act(actor, intent, started, spoken)


def confirm_voice_command(actor, token: str) -> tuple[VoiceCommand, DomainError | None]:
    """Carry out a command that waited for its speaker's confirmation (once; the token then dies)."""
    started = time.perf_counter()
    require_role(actor, MEMBER, "give voice commands")
    key = PENDING.format(token or "")
    stored = cache.get(key)
    if not stored or stored["user"] != actor.pk:
        raise NotFound("Nothing waits for confirmation under this token (it expires after "
                       f"{settings.WORKSHOP_VOICE_CONFIRM_SECONDS} seconds); say the command again.")
    if not cache.delete(key):  # someone confirmed it in the meantime
        raise NotFound("This command was already confirmed.")
    return _act(actor, _intent_from(stored), started, False)


def spoken_answer(actor, command: VoiceCommand) -> bytes:
    """The answer of one of the speaker's own commands as speech (WAV)."""
    from ..voice.speech import speak

    if command.user_id != actor.pk:
        raise NotFound("No such command of yours.")
    return speak(command.answer)


def visible_commands(actor):
    """The voice commands ``actor`` may read, newest first: their own; an operator's, everyone's."""
    commands = VoiceCommand.objects.select_related("user").order_by("-created_at", "-id")
    return commands if has_role(actor, OPERATOR) else commands.filter(user=actor)
