"""Telemetry: batches of readings from the gateway, reads for charts, downsampling and pruning by age."""
import json
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core.errors import RuleViolation

from ..models import Machine, TelemetrySample
from .safety import check_thresholds

# The numbers averaged when raw samples become one a minute; everything else keeps its last value.
NUMERIC_KEYS = ("hotend", "bed")


@transaction.atomic
def record_telemetry(machine_id: int, readings: list[tuple[datetime, dict]]) -> int:
    """Store a batch of readings of one machine in one insert; the newest becomes the machine's latest.

    Readings are checked against the machine's safety thresholds; returns how many were stored.
    """
    if not readings:
        return 0
    _store(machine_id, readings)
    at, latest = max(readings, key=lambda reading: reading[0])
    latest = _parsed(latest)
    machine = Machine.objects.select_for_update().get(pk=machine_id)
    merged = {**machine.telemetry, **latest, "at": at.isoformat()}
    Machine.objects.filter(pk=machine_id).update(telemetry=merged, last_seen_at=at)
    machine.telemetry = merged
    check_thresholds(machine, latest)
    return len(readings)


def _parsed(data):
    """A reading as a dict; drivers that take in many readings a second hand them over as raw JSON text."""
    if isinstance(data, (bytes, str)):
        try:
            data = json.loads(data)
        except ValueError:
            return {}
    return data if isinstance(data, dict) else {}


def _store(machine_id: int, readings: list[tuple[datetime, dict]]) -> None:
    """One insert for the batch; on PostgreSQL a COPY, several times faster than INSERT for large batches.

    Raw JSON text goes into COPY as it came; if one reading is not JSON the database refuses the
    COPY, and the batch is stored reading by reading instead (a bad one as an empty reading).
    """
    if connection.vendor == "postgresql" and len(readings) > 50:
        import psycopg

        table = TelemetrySample._meta.db_table
        try:
            with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(
                    f"COPY {table} (machine_id, at, minute, data) FROM STDIN") as copy:
                copy.write(copy_text(machine_id, readings))
            return
        except (DatabaseError, psycopg.Error):
            pass  # the savepoint is rolled back; store them one by one below
    TelemetrySample.objects.bulk_create(
        [TelemetrySample(machine_id=machine_id, at=at, data=_parsed(data)) for at, data in readings], batch_size=1000)


# What COPY's text format escapes inside a column (JSON text has no raw tabs or newlines in its
# strings, but may have them between tokens, and has backslashes in escapes).
_COPY_ESCAPES = ((b"\\", b"\\\\"), (b"\t", b"\\t"), (b"\n", b"\\n"), (b"\r", b"\\r"))


def copy_text(machine_id: int, readings: list[tuple[datetime, object]]) -> bytes:
    """The batch as one block of COPY text: a row per reading, joined in C rather than written row by row.

    Readings from a burst share their arrival time, so each time is formatted once. A reading
    holding a character COPY treats specially (rare in JSON) is escaped.
    """
    head = f"{machine_id}\t".encode()
    stamps: dict[datetime, bytes] = {}
    heads, bodies = [], []
    for at, data in readings:
        stamp = stamps.get(at)
        if stamp is None:
            stamp = stamps[at] = head + at.isoformat().encode() + b"\tf\t"
        heads.append(stamp)
        bodies.append(data if isinstance(data, bytes) else _text(data).encode())
    together = b"".join(bodies)
    if any(raw in together for raw, _ in _COPY_ESCAPES):
        for raw, replacement in _COPY_ESCAPES:
            bodies = [body.replace(raw, replacement) for body in bodies]
    parts = [b"\n"] * (3 * len(bodies))
    parts[0::3], parts[1::3] = heads, bodies
    return b"".join(parts)


def _text(data) -> str:
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return data if isinstance(data, str) else json.dumps(data, default=str)


def series(machine: Machine, start: datetime | None, end: datetime | None, resolution: str = "raw") -> list[dict]:
    """Readings between ``start`` and ``end`` (default: the last hour) at ``raw`` or ``minute`` resolution."""
    end = end or timezone.now()
    start = start or end - timedelta(hours=1)
    if end <= start:
        raise RuleViolation("'to' must be after 'from'.", fields={"to": ["After 'from'."]})
    if resolution not in ("raw", "minute"):
        raise RuleViolation("resolution is raw or minute.", fields={"resolution": ["raw or minute"]})
    rows = TelemetrySample.objects.filter(machine=machine, at__gte=start, at__lt=end).order_by("at")
    samples = [{"at": row.at, "minute": row.minute, **row.data} for row in rows[:5000]]
    if resolution == "minute":
        samples = [{"at": at, **data} for at, data in _by_minute([(s["at"], s) for s in samples])]
    return samples


def _average(key, readings):
    values = [r[key]["actual"] for r in readings if isinstance(r.get(key), dict)
              and isinstance(r[key].get("actual"), (int, float))]
    targets = [r[key].get("target") for r in readings if isinstance(r.get(key), dict)]
    if not values:
        return None
    return {"actual": round(sum(values) / len(values), 2), "target": targets[-1] if targets else None}


def _by_minute(readings: list[tuple[datetime, dict]]) -> list[tuple[datetime, dict]]:
    """Readings folded into one per minute: temperatures averaged, other values the minute's last."""
    buckets: dict[datetime, list[dict]] = {}
    for at, data in readings:
        buckets.setdefault(at.replace(second=0, microsecond=0), []).append(data)
    folded = []
    for minute, group in sorted(buckets.items()):
        data = {}
        for reading in group:
            data.update({k: v for k, v in reading.items() if k not in ("at", "minute")})
        for key in NUMERIC_KEYS:
            value = _average(key, group)
            if value is not None:
                data[key] = value
        data["samples"] = len(group)
        folded.append((minute, data))
    return folded


def prune_telemetry(now: datetime | None = None) -> dict:
    """Average raw samples older than EQUIPMENT_TELEMETRY_RAW_HOURS into one a minute; delete past the keep days.

    Works machine by machine and in its own transaction each, so a long backlog never holds one huge lock.
    """
    now = now or timezone.now()
    raw_cutoff = now - timedelta(hours=settings.EQUIPMENT_TELEMETRY_RAW_HOURS)
    keep_cutoff = now - timedelta(days=settings.EQUIPMENT_TELEMETRY_KEEP_DAYS)
    deleted, _ = TelemetrySample.objects.filter(at__lt=keep_cutoff).delete()
    folded = 0
    machine_ids = (TelemetrySample.objects.filter(minute=False, at__lt=raw_cutoff)
                   .values_list("machine_id", flat=True).distinct())
    for machine_id in list(machine_ids):
        with transaction.atomic():
            old = TelemetrySample.objects.select_for_update().filter(machine_id=machine_id, minute=False,
                                                                     at__lt=raw_cutoff)
            rows = list(old.values_list("id", "at", "data"))
            minutes = _by_minute([(at, data) for _, at, data in rows])
            TelemetrySample.objects.bulk_create(
                [TelemetrySample(machine_id=machine_id, at=at, minute=True, data=data) for at, data in minutes])
            TelemetrySample.objects.filter(id__in=[row[0] for row in rows]).delete()
            folded += len(rows)
    return {"deleted": deleted, "downsampled": folded}
