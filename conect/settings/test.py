"""Settings for the test suite: PostgreSQL and Redis when DATABASE_URL and REDIS_URL
are set (as in CI), else SQLite and local memory."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default="/tmp/conect-test-media")
ACCOUNT_RATE_LIMITS = {}
LOGGING = {"version": 1, "disable_existing_loggers": False}
