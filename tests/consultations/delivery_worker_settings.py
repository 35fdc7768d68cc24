"""Settings of the real Celery worker that test_delivery_resilience.py starts: the test
settings, with the test database, Redis as the broker (a queue of the test's own) and
the counting e-mail backend; small claims with a short lease, so that the test is short."""

import os

from conect.settings.test import *  # noqa: F403
from conect.settings.test import DATABASES

DATABASES["default"]["NAME"] = os.environ["CONECT_TEST_DATABASE_NAME"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["CONECT_TEST_BROKER_URL"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["CONECT_TEST_QUEUE"]
EMAIL_BACKEND = "tests.consultations.delivery_worker.CountingBackend"
CONSULTATION_FANOUT_BATCH_SIZE = int(os.environ["CONECT_TEST_FANOUT_BATCH_SIZE"])
CONSULTATION_FANOUT_CLAIM_LEASE_SECONDS = int(os.environ["CONECT_TEST_FANOUT_LEASE_SECONDS"])
