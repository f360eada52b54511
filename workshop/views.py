"""Staff pages: system status (live warnings from the ``workshop`` topic) and voice commands."""
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import MEMBER, OPERATOR
from core.errors import DomainError
from core.events import latest_position
from core.pages import role_required

from .services.system import system_status
from .services.voice import confirm_voice_command, visible_commands, voice_command
from .voice import speech

operator_required = role_required(OPERATOR)
member_required = role_required(MEMBER)
HISTORY = 20  # past commands on the voice page; the API lists them all




@operator_required
@require_GET
def system(request):
    """The host, the services, the queues, the gateway and each machine's connection, as of now."""
    live_after = latest_position("workshop")  # before the status is read (see latest_position)
    return render(request, "workshop/system.html", {"status": system_status(request.user), "live_after": live_after})


@member_required
@require_http_methods(["GET", "POST"])
def voice(request):
    """Type or record a command; the answer (or "confirm?") and the refusal come back on the same page."""
    command, error, status = None, "", 200
    if request.method == "POST":
        try:
            if request.POST.get("confirm"):
                command, refusal = confirm_voice_command(request.user, request.POST["confirm"])
            else:
                command, refusal = voice_command(request.user, text=request.POST.get("text", ""),
                                                 upload=request.FILES.get("file"))
            if refusal is not None:
                error, status = refusal.detail, refusal.status_code
        except DomainError as exc:
            error, status = exc.detail, exc.status_code
    recent = visible_commands(request.user).filter(user=request.user)[:HISTORY]
    return render(request, "workshop/voice.html", {"command": command, "error": error, "recent": recent,
                                                   "speech": speech.available()}, status=status)
