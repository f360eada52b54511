"""Shapes of machines, jobs, commands, telemetry and safety events; validation of fields only."""
from rest_framework import serializers

from ..models import Job, Machine, SafetyEvent


class JobSerializer(serializers.ModelSerializer):
    progress = serializers.FloatField(read_only=True)
    user = serializers.CharField(source="user.username", read_only=True, default=None)
    machine_hours = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "machine", "user", "booking", "task", "worklog", "machine_hours", "original_name", "size",
                  "total_lines", "lines_acked", "progress", "material_estimate", "material_debited", "status",
                  "position", "created_at", "started_at", "finished_at", "reason"]
        read_only_fields = fields

    def get_machine_hours(self, job) -> float:
        """Hours the machine worked on the job (start to end without pauses; 0 until it ends)."""
        return round(job.machine_seconds / 3600, 2)


class JobUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The G-code file (multipart).")
    name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    task = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                    help_text="A task of one of your projects: the job's machine hours are logged "
                                              "on it when the job ends.")


class MachineSerializer(serializers.ModelSerializer):
    connection = serializers.JSONField(
        required=False, help_text="Driver settings: port/baud, url with api_key or username/password, topic_prefix. "
                                  "Secrets are write-only.")
    has_credentials = serializers.SerializerMethodField()
    current_job = serializers.SerializerMethodField()

    class Meta:
        model = Machine
        fields = ["id", "name", "kind", "driver", "asset", "device", "connection", "has_credentials", "capabilities",
                  "max_hotend", "max_bed", "travel", "park", "material", "material_location", "enabled", "state",
                  "state_reason", "state_changed_at", "last_seen_at", "telemetry", "current_job", "created_at"]
        read_only_fields = ["state", "state_reason", "state_changed_at", "last_seen_at", "telemetry", "created_at"]

    def get_has_credentials(self, machine) -> bool:
        return bool(machine.sealed_secrets)

    def get_current_job(self, machine) -> dict | None:
        active = getattr(machine, "active_jobs", None)
        if active is None:
            active = list(machine.jobs.filter(status__in=Job.ACTIVE))
        return JobSerializer(active[0]).data if active else None

    def validate_connection(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("Send a JSON object.")
        return value


class CommandSerializer(serializers.Serializer):
    command = serializers.ChoiceField(choices=["home", "jog", "set_temperature", "fan", "gcode", "emergency_stop"])
    heater = serializers.ChoiceField(choices=["hotend", "bed"], required=False)
    target = serializers.FloatField(required=False, min_value=0)  # at most the machine's own limit
    gcode = serializers.CharField(required=False, max_length=2000)
    x = serializers.FloatField(required=False)  # within the machine's travel
    y = serializers.FloatField(required=False)
    z = serializers.FloatField(required=False)
    feed = serializers.FloatField(required=False, min_value=1, max_value=20000)  # mm/min
    speed = serializers.FloatField(required=False, min_value=0, max_value=100)  # fan, per cent


class CommandResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    machine = serializers.IntegerField(source="machine_id")
    name = serializers.CharField()
    arguments = serializers.JSONField()
    status = serializers.CharField()
    response = serializers.CharField()


class TelemetryQuerySerializer(serializers.Serializer):
    start = serializers.DateTimeField(required=False)
    end = serializers.DateTimeField(required=False)
    resolution = serializers.ChoiceField(choices=["raw", "minute"], default="raw")


class SafetyEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = SafetyEvent
        fields = ["id", "machine", "level", "kind", "message", "data", "status", "created_at", "acknowledged_by",
                  "acknowledged_at", "resolved_by", "resolved_at"]
        read_only_fields = fields


class StopAllSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
