"""Teams, their members and invitations."""
from django.db.models import Count
from drf_spectacular.plumbing import build_array_type, build_object_type
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.response import Response

from core.api.lean import LeanListMixin
from core.api.viewsets import ServiceModelViewSet
from core.errors import NotFound

from .. import queries, services
from ..models import Invitation, TeamMembership
from . import serializers as s
from .common import ProjectAccess


class TeamViewSet(LeanListMixin, ServiceModelViewSet):
    """Teams you are in (operators: all); the creator becomes lead; leads edit members; workload."""

    permission_classes = [ProjectAccess]
    serializer_class = s.TeamSerializer
    lean_list = True
    lean_actions = ("members",)
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return queries.visible_teams(self.request.user).annotate(member_count=Count("memberships")).order_by("name")

    @extend_schema(exclude=True)  # the schema lists what the API does: a DELETE here is only refused
    def destroy(self, request, *args, **kwargs):
        """Teams are not deleted through the API; their members leave instead."""
        raise MethodNotAllowed("DELETE", detail="Teams are not deleted; remove their members instead.")

    def create_with(self, user, data):
        return services.create_team(user, **data)

    def update_with(self, user, instance, data):
        return services.update_team(user, instance, **data)

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response.data = self.get_serializer(self.get_queryset().get(pk=response.data["id"])).data
        return response

    @extend_schema(request=s.TeamMemberSerializer, responses=s.TeamMemberSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # every member, unpaged
    def members(self, request, pk=None):
        """The team's members with their roles (GET); add one (POST: user, role; leads and operators)."""
        team = self.get_object()
        if request.method == "POST":
            body = s.TeamMemberSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            membership = services.add_team_member(request.user, team, body.validated_data["user"],
                                                   body.validated_data.get("role", TeamMembership.Role.MEMBER))
            return Response(s.TeamMemberSerializer(membership).data, status=status.HTTP_201_CREATED)
        return self.lean_rows(team.memberships.select_related("user"), s.TeamMemberSerializer, paginate=False)

    @extend_schema(request=s.RoleSerializer, responses=s.TeamMemberSerializer)
    @action(detail=True, methods=["patch", "delete"], url_path=r"members/(?P<user_id>[0-9]+)")
    def member(self, request, pk=None, user_id=None):
        """Change a member's role (PATCH) or take them out of the team (DELETE)."""
        team = self.get_object()
        membership = team.memberships.select_related("user").filter(user_id=user_id).first()
        if membership is None:
            raise NotFound(f"User {user_id} is not in team '{team}'.")
        if request.method == "DELETE":
            services.remove_team_member(request.user, team, membership.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        body = s.RoleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = services.change_team_role(request.user, team, membership.user, body.validated_data["role"])
        return Response(s.TeamMemberSerializer(membership).data)

    @extend_schema(request=None, responses={200: build_array_type(build_object_type())})  # one entry per member
    @action(detail=True, methods=["get"])
    def workload(self, request, pk=None):
        """Per member: open tasks and estimated hours due this week."""
        return Response(queries.team_workload(self.get_object()))


class InvitationViewSet(LeanListMixin, mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin,
                        viewsets.GenericViewSet):
    """Invitations to teams you lead (operators: all); invite by email; accept with the emailed token."""

    permission_classes = [ProjectAccess]
    serializer_class = s.InvitationSerializer
    lean_list = True
    filterset_fields = ["team"]
    ordering_fields = ["created_at", "expires_at"]

    def get_queryset(self):
        return Invitation.objects.filter(team__in=queries.teams_led_by(self.request.user), accepted_at__isnull=True,
                                         revoked_at__isnull=True).select_related(
            "team").order_by("-created_at", "-id")

    def create(self, request, *args, **kwargs):
        """Invite someone by email; the link is emailed and also answered as ``token``."""
        body = s.InvitationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        team = queries.visible_teams(request.user).filter(pk=data["team"].pk).first()
        if team is None:
            raise NotFound(f"There is no team {data['team'].pk}.")
        invitation, token = services.invite(request.user, team, email=data["email"],
                                            role=data.get("role", TeamMembership.Role.MEMBER))
        answer = s.InvitationSerializer(invitation).data
        answer["token"] = token
        return Response(answer, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        """Withdraw the invitation (its link stops working)."""
        services.revoke_invitation(self.request.user, instance)

    @extend_schema(request=s.AcceptSerializer, responses=s.TeamMemberSerializer)
    @action(detail=False, methods=["post"])
    def accept(self, request):
        """Join the team with the token from the invitation email (as the person invited)."""
        body = s.AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = services.accept_invitation(request.user, body.validated_data["token"])
        return Response(s.TeamMemberSerializer(membership).data, status=status.HTTP_201_CREATED)
