"""Shapes of the workshop API: field validation only."""
from rest_framework import serializers

from ..discovery.serial_ports import BAUDS
from ..models import VoiceCommand


class VoiceCommandInputSerializer(serializers.Serializer):
    """A command as text, a recording (multipart ``file``), or the token of one that asked for confirmation."""

    text = serializers.CharField(required=False, allow_blank=True, max_length=500)
    file = serializers.FileField(required=False)
    confirm = serializers.CharField(required=False, max_length=64)

    def validate(self, data):
        given = [name for name in ("text", "file", "confirm") if data.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError("Send exactly one of text, file (a recording) or confirm (a token).")
        return data


class VoiceCommandSerializer(serializers.ModelSerializer):
    class Meta:
        model = VoiceCommand
        fields = ["id", "heard", "spoken", "intent", "slots", "score", "status", "answer", "token", "seconds",
                  "created_at"]


class VoiceCommandHistorySerializer(serializers.ModelSerializer):
    """One past command in the history list (no confirmation token: that stays with the answer it came in)."""

    user_name = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = VoiceCommand
        fields = ["id", "user", "user_name", "heard", "spoken", "intent", "slots", "score", "status", "answer",
                  "seconds", "created_at"]


class ProbeSerializer(serializers.Serializer):
    port = serializers.CharField(max_length=200)
    baud = serializers.ChoiceField(choices=BAUDS, required=False, default=115200)


class ScanSerializer(serializers.Serializer):
    seconds = serializers.FloatField(required=False, default=2.0, min_value=0.5, max_value=10)


class AdoptSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    kind = serializers.ChoiceField(choices=["sensor", "microcontroller"], required=False, default="sensor")


class AdoptInRoomSerializer(serializers.Serializer):
    room = serializers.IntegerField(help_text="The room (an inventory location of kind room).")
    kind = serializers.ChoiceField(choices=["light", "fan", "air_filter", "sensor"])
    name = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    dimmable = serializers.BooleanField(required=False, default=False)


class DiscoveredDeviceSerializer(serializers.ModelSerializer):
    class Meta:
        from ..models import DiscoveredDevice

        model = DiscoveredDevice
        fields = ["id", "key", "source", "name", "topic_prefix", "announcement", "online", "status", "machine",
                  "room_device", "last_seen_at", "created_at"]
