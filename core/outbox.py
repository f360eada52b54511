"""Background jobs survive a broker outage: what cannot be queued waits in PostgreSQL.

Every Celery task of Benchtop is an ``OutboxTask`` (``config.celery``). When queuing one fails
because Redis is down, or is known to be down (``core.outage``), the job is stored as an
``OutboxJob`` instead of raising: the change that asked for it has usually committed already,
and an error then would make the client retry a write that happened. ``sweep`` queues the
stored jobs, oldest first; the ``send-outbox`` beat entry runs it every minute, and the next
successful enqueue in the same process asks for a sweep at once. Delivery is at least once: a
job queued just before its row could be deleted may be queued twice.
"""
import json
import logging
import uuid

from celery import Task
from celery.result import AsyncResult
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .outage import redis as redis_breaker

log = logging.getLogger(__name__)

BROKER_DOWN = (OperationalError, RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
KEPT_OPTIONS = ("queue", "routing_key", "priority", "countdown", "expires", "exchange")
SWEEP_BATCH = 100

_kept_since_sweep = False


def _plain_options(options: dict) -> dict:
    """The routing options worth keeping, if they can be stored as JSON."""
    kept = {}
    for name in KEPT_OPTIONS:
        value = options.get(name)
        if value is None:
            continue
        try:
            json.dumps(value)
        except TypeError:
            continue
        kept[name] = value
    return kept


def keep(task_name: str, args, kwargs, options: dict, error: BaseException | None = None):
    """Store one job that could not be queued; ``sweep`` sends it later."""
    from .models import OutboxJob

    global _kept_since_sweep
    job = OutboxJob.objects.create(task=task_name, args=list(args or ()), kwargs=dict(kwargs or {}),
                                   options=_plain_options(options),
                                   last_error=f"{type(error).__name__}: {error}"[:500] if error else "")
    _kept_since_sweep = True
    log.info("broker unreachable: job %s (%s) kept in the outbox", job.pk, task_name)
    return job


def waiting() -> int:
    """How many jobs wait in the outbox."""
    from .models import OutboxJob

    return OutboxJob.objects.count()


def sweep(limit: int = SWEEP_BATCH) -> int:
    """Queue up to ``limit`` stored jobs, oldest first; stops at the first broker failure. Returns how many went."""
    from config.celery import app

    from .models import OutboxJob

    global _kept_since_sweep
    _kept_since_sweep = False
    sent = 0
    with transaction.atomic():
        jobs = list(OutboxJob.objects.select_for_update(skip_locked=True).order_by("id")[:limit])
        for job in jobs:
            try:
                app.send_task(job.task, args=job.args, kwargs=job.kwargs, **job.options)
            except BROKER_DOWN as error:
                redis_breaker.failed(error)
                OutboxJob.objects.filter(pk=job.pk).update(attempts=job.attempts + 1,
                                                            last_error=f"{type(error).__name__}: {error}"[:500])
                _kept_since_sweep = True
                break
            job.delete()
            sent += 1
    if sent:
        log.info("sent %s job(s) from the outbox", sent)
    return sent


class OutboxTask(Task):
    """A Celery task whose ``delay``/``apply_async`` keeps the job in the outbox when the broker is down."""

    def apply_async(self, args=None, kwargs=None, task_id=None, *rest, **options):
        if self.app.conf.task_always_eager or options.pop("from_outbox", False):
            return super().apply_async(args, kwargs, task_id, *rest, **options)
        if redis_breaker.is_open():
            keep(self.name, args, kwargs, options)
            return AsyncResult(task_id or str(uuid.uuid4()), app=self.app)
        try:
            result = super().apply_async(args, kwargs, task_id, *rest, **options)
        except BROKER_DOWN as error:
            redis_breaker.failed(error)
            keep(self.name, args, kwargs, options, error)
            return AsyncResult(task_id or str(uuid.uuid4()), app=self.app)
        redis_breaker.succeeded()
        if _kept_since_sweep and self.name != SWEEP_TASK:
            self.app.send_task(SWEEP_TASK)  # the broker is back: send what waited
        return result


SWEEP_TASK = "core.tasks.send_outbox"
