"""``/api/auth/``: registration, JWT login, refresh, logout, profile, passwords, API keys."""
from django.db.models import BooleanField, Case, CharField, Q, Value, When
from django.db.models.functions import Now
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import roles, services
from accounts.models import ApiKey, User
from accounts.permissions import IsOperator
from core.api.lean import Column, LeanListMixin
from core.api.serializers import written
from core.context import client_ip

from . import serializers as s


def _tokens_for(user) -> dict:
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


class RegisterView(APIView):
    """Open sign-up (when ``REGISTRATION_OPEN``); the new user is a member."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(request=s.RegisterSerializer, responses={201: s.UserSerializer})
    def post(self, request):
        data = s.RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.register_user(**data.validated_data)
        return Response(s.UserSerializer(user).data, status=status.HTTP_201_CREATED)


class LoginView(APIView):
    """Exchange username (or email) and password for a JWT pair; failures are throttled."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(request=s.LoginSerializer, responses={200: s.TokenPairSerializer})
    def post(self, request):
        data = s.LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.login(data.validated_data["username"], data.validated_data["password"],
                              client_ip(request.META))
        return Response(_tokens_for(user))


class RefreshView(APIView):
    """Trade a refresh token for a new pair; the old refresh token is blacklisted (rotation)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(request=s.RefreshSerializer, responses={200: s.TokenPairSerializer})
    def post(self, request):
        data = s.RefreshTokenSerializer(data=request.data)
        try:
            data.is_valid(raise_exception=True)
        except TokenError as exc:
            raise services.BadCredentials(f"That refresh token cannot be used: {exc}", code="token_not_valid",
                                          fields={"refresh": [str(exc)]}) from exc
        return Response(data.validated_data)


class LogoutView(APIView):
    """Blacklist a refresh token so it can never be used again."""

    @extend_schema(request=s.RefreshSerializer, responses={200: s.DetailSerializer})
    def post(self, request):
        data = s.RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.logout(request.user, data.validated_data["refresh"])
        return Response({"detail": "Logged out."})


class MeView(APIView):
    """The logged-in user; PATCH changes one's own profile (email address included, unique across case)."""

    @extend_schema(responses=s.UserSerializer)
    def get(self, request):
        return Response(written(s.UserSerializer, request.user))

    @extend_schema(request=s.ProfileSerializer, responses=s.UserSerializer)
    def patch(self, request):
        data = s.ProfileSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = services.update_profile(request.user, **data.validated_data)
        return Response(s.UserSerializer(user).data)


class PasswordChangeView(APIView):
    """Change one's own password."""

    @extend_schema(request=s.PasswordChangeSerializer, responses={200: s.DetailSerializer})
    def post(self, request):
        data = s.PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.change_password(request.user, **data.validated_data)
        return Response({"detail": "Password changed."})


class PasswordResetView(APIView):
    """Email a reset token; the answer is the same whether or not the address is known."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(request=s.PasswordResetSerializer, responses={200: s.DetailSerializer})
    def post(self, request):
        data = s.PasswordResetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_password_reset(data.validated_data["email"])
        return Response({"detail": "If an account has that address, a reset link is on its way."})


class PasswordResetConfirmView(APIView):
    """Set a new password with the emailed uid and token."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(request=s.PasswordResetConfirmSerializer, responses={200: s.DetailSerializer})
    def post(self, request):
        data = s.PasswordResetConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.confirm_password_reset(**data.validated_data)
        return Response({"detail": "Password set. Log in with the new one."})


# A key is active until revoked or past its expiry (``ApiKey.is_active``), computed in the list query.
KEY_IS_ACTIVE = Case(When(revoked_at__isnull=False, then=Value(False)),
                     When(Q(expires_at__isnull=True) | Q(expires_at__gt=Now()), then=Value(True)),
                     default=Value(False), output_field=BooleanField())
# ``roles.role_of`` for each listed user: none when disabled, admin for superusers, else the highest group.
USER_ROLE = Case(When(is_active=False, then=Value(None)), When(is_superuser=True, then=Value(roles.ADMIN)),
                 default=roles.highest_role_subquery(), output_field=CharField())


class ApiKeyViewSet(LeanListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    """API keys: admins see and issue all; others their own; managing keys needs a password login (session
    or JWT), never an API key. The secret is shown once, on create."""

    serializer_class = s.ApiKeySerializer
    queryset = ApiKey.objects.none()  # for the schema; requests read services.api_keys_visible_to
    lean_list = True
    lean_fields = {"is_active": Column(KEY_IS_ACTIVE)}
    filterset_fields = ["user", "role"]
    ordering_fields = ["created_at", "last_used_at", "name"]
    search_fields = ["name", "prefix"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiKey.objects.none()
        return services.api_keys_visible_to(self.request.user)

    @extend_schema(responses={201: s.NewApiKeySerializer})
    def create(self, request, *args, **kwargs):
        data = s.ApiKeySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        key, secret = services.create_api_key(
            request.user, name=fields["name"], user=fields.get("user") or request.user,
            role=fields["role"], expires_at=fields.get("expires_at"),
        )
        body = s.ApiKeySerializer(key).data | {"key": secret}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ApiKeySerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke the key now; requests with it fail from then on."""
        key = services.revoke_api_key(request.user, self.get_object())
        return Response(s.ApiKeySerializer(key).data)


class UserViewSet(LeanListMixin, viewsets.ReadOnlyModelViewSet):
    """Users, for operators (to pick owners and assignees)."""

    queryset = User.objects.prefetch_related("groups").order_by("username")
    serializer_class = s.UserSerializer
    lean_list = True
    lean_fields = {"role": Column(USER_ROLE)}
    filterset_fields = ["is_active"]
    search_fields = ["username", "email", "display_name"]
    ordering_fields = ["username", "date_joined"]

    def get_permissions(self):
        return [IsOperator()]


