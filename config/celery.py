"""The Celery application.

Broker and results live in Redis when ``REDIS_URL`` is set; without it
tasks run inline (see ``CELERY_TASK_ALWAYS_EAGER`` in settings), so the
embedded mode needs no worker.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("benchtop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
