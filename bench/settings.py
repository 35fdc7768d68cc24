"""Settings of `make bench`: the production settings, served on 127.0.0.1 over plain HTTP.

Only what a bench on loopback needs differs from production: no redirect to HTTPS, the
hello-world floor in the URLs (bench/urls.py), static files collected into
bench/.staticfiles with their hashed names but not compressed (whitenoise's compression
takes minutes at collection, and static files are not measured), and the API's rate
limits lifted (the bench measures speed, not fairness; with them 8 clients from one
address would get 429 after a second), and the feedback form's too (200 answers are
posted from 127.0.0.1 at once).
"""

from conect.settings.production import *  # noqa: F403
from conect.settings.production import BASE_DIR, REST_FRAMEWORK, STORAGES

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
STATIC_ROOT = BASE_DIR / "bench" / ".staticfiles"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anonymous": None, "authenticated": None},
}
# One client casts every vote of the bench's vote page: the per-person limit on votes a
# minute would turn it away after 30 (the bench measures speed, not fairness).
PROPOSAL_VOTES_PER_MINUTE = 1_000_000
FEEDBACK_RATE_LIMIT_PER_ADDRESS = (10**9, 3600)
FEEDBACK_RATE_LIMIT_PER_SERVICE = (10**9, 3600)
