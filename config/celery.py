"""The Celery application.

Broker and results live in Redis when ``REDIS_URL`` is set; without it
tasks run inline (see ``CELERY_TASK_ALWAYS_EAGER`` in settings), so the
embedded mode needs no worker. While the broker is down, jobs wait in the
database outbox (``core.outbox``).
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Every task keeps its job in the database outbox when the broker cannot take it (core.outbox).
app = Celery("benchtop", task_cls="core.outbox:OutboxTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
