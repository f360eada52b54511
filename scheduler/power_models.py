"""Power distribution units (PDUs) and their outlets, which feed bookable devices.

An outlet may feed several devices and a device may need several outlets. The
state recorded here is only ever what the PDU last reported back; a failed
switch leaves it unchanged.
"""
from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel


class PDU(TimeStampedModel):
    """A switchable power strip, rack PDU or smart plug, reached through one driver."""

    class Driver(models.TextChoices):
        TASMOTA = "tasmota", "MQTT smart plug (Tasmota)"
        RARITAN = "raritan", "Raritan JSON-RPC"
        SNMP = "snmp", "SNMP v2c or v3 (outlet control OIDs)"

    name = models.CharField(max_length=120, unique=True)
    driver = models.CharField(max_length=20, choices=Driver.choices)
    # Raritan: the base URL (https://pdu.lab:443); Tasmota: the plug's MQTT topic (the broker is MQTT_URL);
    # SNMP: host or host:port (v2c: the community is the password, or options.community;
    # v3: username is the USM user, the password its authentication passphrase).
    address = models.CharField(max_length=300)
    username = models.CharField(max_length=100, blank=True)
    # Sealed with core.sealing; never leaves the server.
    password_sealed = models.TextField(blank=True)
    # SNMP v3 privacy (encryption) passphrase, sealed like the password and never returned.
    privacy_password_sealed = models.TextField(blank=True)
    options = models.JSONField(default=dict, blank=True,
                               help_text="Driver settings (verify_tls; for SNMP control_oid, on, off, outlets, "
                                         "version, auth_protocol, priv_protocol).")

    class Meta:
        ordering = ["name"]
        verbose_name = "PDU"

    def __str__(self):
        return self.name


class Outlet(TimeStampedModel):
    """One switchable socket of a PDU and the devices it feeds."""

    class Mode(models.TextChoices):
        MANUAL = "manual", "Switched by hand"
        SCHEDULED = "scheduled", "On while a confirmed booking runs"
        ALWAYS_ON = "always_on", "Always on"

    class State(models.TextChoices):
        ON = "on", "On"
        OFF = "off", "Off"
        UNKNOWN = "unknown", "Unknown"

    pdu = models.ForeignKey(PDU, on_delete=models.CASCADE, related_name="outlets")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120, blank=True)
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.MANUAL)
    devices = models.ManyToManyField("scheduler.Device", blank=True, related_name="outlets")
    state = models.CharField(max_length=10, choices=State.choices, default=State.UNKNOWN)
    state_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pdu", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pdu", "number"], name="outlet_number_once_per_pdu"),
            models.CheckConstraint(condition=Q(number__gte=1), name="outlet_number_positive"),
        ]

    def __str__(self):
        return f"{self.pdu} outlet {self.number}" + (f" ({self.name})" if self.name else "")
