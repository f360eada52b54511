"""Shapes of the auth and account endpoints (validation of form only; rules live in services)."""
import zoneinfo

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer

from accounts import roles
from accounts.models import ApiKey, User
from core.api.serializers import FieldsBuiltOnce


class UserSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "display_name", "time_zone", "discord_id",
                  "notification_preferences", "role", "date_joined", "last_login"]
        read_only_fields = ["id", "username", "email", "role", "date_joined", "last_login"]

    def get_role(self, user) -> str | None:
        return roles.role_of(user)


class RegisterSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+$", max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    display_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="Username or email address.")
    password = serializers.CharField(trim_whitespace=False)


class RefreshTokenSerializer(TokenRefreshSerializer):
    """simplejwt's refresh, with a token whose account was deleted or disabled reported as a bad token."""

    def validate(self, attrs):
        try:
            return super().validate(attrs)
        except User.DoesNotExist:
            raise TokenError("its account no longer exists") from None
        except AuthenticationFailed:
            raise TokenError("its account is disabled") from None


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(trim_whitespace=False)
    new_password = serializers.CharField(trim_whitespace=False)


class PasswordResetSerializer(serializers.Serializer):
    email = serializers.EmailField()


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField()
    token = serializers.CharField()
    new_password = serializers.CharField(trim_whitespace=False)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


@extend_schema_field({"type": "string", "enum": sorted(zoneinfo.available_timezones()),
                      "description": "A time zone name such as Europe/Berlin."})
class TimeZoneField(serializers.CharField):
    """A time zone name; the API schema lists the names the server knows."""


@extend_schema_field({"type": "string", "maxLength": 64, "pattern": "^[0-9]+$",
                      "description": "A Discord user id (a number, from Copy User ID), or empty for none."})
class DiscordIdField(serializers.CharField):
    """A Discord user id; the service refuses anything but digits, the API schema says so."""


class ProfileSerializer(serializers.Serializer):
    email = serializers.EmailField(required=False)
    display_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    time_zone = TimeZoneField(max_length=64, required=False)
    discord_id = DiscordIdField(max_length=64, required=False, allow_blank=True)
    notification_preferences = serializers.DictField(child=serializers.BooleanField(), required=False)

    def validate_time_zone(self, value):
        if value not in zoneinfo.available_timezones():
            raise serializers.ValidationError(f"'{value}' is not a time zone name such as Europe/Berlin.")
        return value


class ApiKeySerializer(serializers.ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False)
    role = serializers.ChoiceField(choices=roles.ROLES)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiKey
        fields = ["id", "name", "user", "role", "prefix", "created_at", "last_used_at", "revoked_at",
                  "expires_at", "is_active"]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "revoked_at", "is_active"]


class NewApiKeySerializer(ApiKeySerializer):
    key = serializers.CharField(read_only=True, help_text="The secret; shown only in this response.")

    class Meta(ApiKeySerializer.Meta):
        fields = ApiKeySerializer.Meta.fields + ["key"]
