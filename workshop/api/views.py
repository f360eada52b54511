"""Workshop API: system status and voice commands. Every answer comes from a service."""
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import roles_required
from accounts.roles import MEMBER, OPERATOR

from ..models import VoiceCommand
from ..services.system import system_status
from ..services.voice import confirm_voice_command, spoken_answer, voice_command
from . import serializers as s


class SystemStatusView(APIView):
    """Host CPU, memory, disk, temperatures; database, Redis, MQTT, Celery; the gateway and each machine."""

    permission_classes = [roles_required(read=OPERATOR, write=OPERATOR)]

    @extend_schema(responses=dict)
    def get(self, request):
        return Response(system_status(request.user))


def voice_answer(command, refusal):
    """The recorded command, with the refusal's status and message when a service said no."""
    body = s.VoiceCommandSerializer(command).data
    if refusal is None:
        return Response(body, status=200)
    return Response({**refusal.as_dict(), **body}, status=refusal.status_code)


class VoiceCommandView(APIView):
    """Say (upload) or type a command; risky or unclear ones answer "confirm?" with a token to send back."""

    permission_classes = [roles_required(read=MEMBER, write=MEMBER)]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=s.VoiceCommandInputSerializer, responses=s.VoiceCommandSerializer)
    def post(self, request):
        serializer = s.VoiceCommandInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("confirm"):
            return voice_answer(*confirm_voice_command(request.user, data["confirm"]))
        return voice_answer(*voice_command(request.user, text=data.get("text", ""), upload=data.get("file")))


class VoiceAnswerSpeechView(APIView):
    """The answer to one of my commands, read aloud (WAV, espeak-ng)."""

    permission_classes = [roles_required(read=MEMBER, write=MEMBER)]

    @extend_schema(responses={(200, "audio/wav"): bytes})
    def get(self, request, pk):
        command = get_object_or_404(VoiceCommand, pk=pk, user=request.user)
        return HttpResponse(spoken_answer(request.user, command), content_type="audio/wav")
