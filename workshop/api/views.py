"""Workshop API: system status and voice commands (say one, list past ones). Every answer comes from a service."""
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import roles_required
from accounts.roles import MEMBER, OPERATOR
from core.api.filters import FilterSet, IsoDateTimeFilter
from core.api.lean import LeanListMixin
from core.api.pagination import CursorPagination

from ..models import VoiceCommand
from ..services.system import system_status
from ..services.voice import confirm_voice_command, spoken_answer, visible_commands, voice_command
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


class VoiceCommandFilter(FilterSet):
    since = IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = VoiceCommand
        fields = ["user", "status", "intent", "spoken"]


class VoiceCommandViewSet(LeanListMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Say (upload) or type a command; risky or unclear ones answer "confirm?" with a token to send back.

    GET lists past commands, newest first: members their own, operators everyone's (``?user=`` to
    pick one person; also ``?status=``, ``?intent=``, ``?spoken=``, ``?since=``/``?until=`` and
    ``?search=`` in what was heard and answered).
    """

    permission_classes = [roles_required(read=MEMBER, write=MEMBER)]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = s.VoiceCommandHistorySerializer
    lean_list = True
    filterset_class = VoiceCommandFilter
    search_fields = ["heard", "answer"]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]  # newest first; the cursor walks ``created_at``, ``id`` breaks ties
    pagination_class = CursorPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return VoiceCommand.objects.none()
        return visible_commands(self.request.user)

    @extend_schema(request=s.VoiceCommandInputSerializer, responses=s.VoiceCommandSerializer)
    def create(self, request):
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
