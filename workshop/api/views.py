"""Workshop API: system status (and, below, voice commands). Every answer comes from a service."""
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import roles_required
from accounts.roles import OPERATOR

from ..services.system import system_status


class SystemStatusView(APIView):
    """Host CPU, memory, disk, temperatures; database, Redis, MQTT, Celery; the gateway and each machine."""

    permission_classes = [roles_required(read=OPERATOR, write=OPERATOR)]

    def get(self, request):
        return Response(system_status(request.user))
