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
PRIVATE_MEDIA_ROOT = f"{MEDIA_ROOT}-private"
# allauth merges a dict with its defaults; False switches every limit off. The test of
# the login limit turns them back on with override_settings.
ACCOUNT_RATE_LIMITS = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The browser tests' live server serves static files straight from the source folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Sessions read from the database, as on a cache miss: the pinned query counts of
# signed-in pages include the session's read, the cost of a cold cache (production reads
# it through the cache, SESSION_ENGINE in base.py).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The site's address is the test client's: absolute addresses (API links, feeds, e-mails)
# read as the responses the tests receive (conect/core/site.py).
SITE_URL = "http://testserver"
