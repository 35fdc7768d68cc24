"""Celery application. Configured from Django settings (CELERY_* names), broker from
REDIS_URL. In the embedded mode (no REDIS_URL) tasks run eagerly, in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conect.settings.base")

app = Celery("conect")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
