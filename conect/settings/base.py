"""Settings shared by every environment.

Everything that differs between a laptop and production comes from environment
variables (see `.env.example` and the README). The defaults give the embedded mode:
SQLite, local-memory cache, Celery tasks run in-process, e-mail to the console.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "conect.accounts",
    "conect.core.apps.CoreConfig",
    "conect.core.apps.ConectAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.syndication",
    "django.contrib.sites",
    "django.contrib.postgres",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "conect.api",
    "leaflet",
    "simple_history",
    "localflavor",
    "csp",
    "registry",
    "consultations",
    "consultations.proposals.apps.ProposalsConfig",
    "guide",
    "surveys",
    "surveys.feedback",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so that static files get the header too.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "conect.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A coordinator acts for the state: no page until they have a second factor.
    "conect.accounts.middleware.CoordinatorMFAMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "conect.urls"
WSGI_APPLICATION = "conect.wsgi.application"
ASGI_APPLICATION = "conect.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.csrf",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "conect.core.context_processors.platform",
            ],
        },
    },
]

# Django's template-based renderer, so that templates/django/forms/ (a form's and a
# field's markup) overrides Django's own templates.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a new connection costs several milliseconds on every request.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

# --- Cache and broker -------------------------------------------------------
# What Redis holds and what happens when it is gone: docs/deployment-redis.md.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # The cache is a cache: when Redis cannot be reached, django-redis logs the error
    # (logger "django_redis.cache") and answers as an empty cache, so every page that
    # can be built from the database still is. Rate limits kept in it fail open then
    # (conect/core/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "conect.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "conect",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                # An unreachable Redis costs a request one second at most, not a hang.
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it ends, and given back when its worker dies; Redis hands
# a message its worker never acknowledged to another worker after `visibility_timeout`
# (the Redis transport's default is one hour), looking every 10 s. Ten minutes: longer
# than a registry import runs and than any retry waits (retry_backoff_max=240 in the
# tasks). E-mail fan-outs do not wait for it: the sweep takes over their rows after a
# minute (CONSULTATION_FANOUT_CLAIM_LEASE_SECONDS), and a fan-out handed to a second
# worker while it still runs only shares its rows.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 600,
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
    # A broker that vanished without closing the connection fails a publish instead of
    # hanging it (longer than the worker's 1 s BRPOP).
    "socket_timeout": 10,
}
# Publishing while the broker is down fails within about a second; the outbox keeps the
# message (conect/core/outbox.py).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Bucharest"
CELERY_BEAT_SCHEDULE = {
    "core-relay-outbox": {
        "task": "conect.core.tasks.relay_outbox",
        "schedule": 15,
        "options": {"expires": 14},
    },
    "consultations-sweep-fan-outs": {
        "task": "consultations.tasks.sweep_fan_outs",
        "schedule": 30,
        "options": {"expires": 29},
    },
}
# Workers log through Django's LOGGING (JSON, scrubbed) instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Consultations (Law 52/2003 on decisional transparency) -----------------
CONSULTATION_MIN_ANNOUNCEMENT_WORKING_DAYS = 30
CONSULTATION_MIN_WINDOW_DAYS = 10
# Extra non-working days the Government declares, as "YYYY-MM-DD" strings.
CONSULTATION_EXTRA_NON_WORKING_DAYS = env.list("CONSULTATION_EXTRA_NON_WORKING_DAYS", default=[])
CONSULTATION_SYNTHESIS_DUE_DAYS = 10
# Where the synthesis deadline comes from, named in the interface: "law" (a legal text)
# or "institution" (the institution's own rule); the reference names the text.
CONSULTATION_SYNTHESIS_DUE_SOURCE = env("CONSULTATION_SYNTHESIS_DUE_SOURCE", default="institution")
CONSULTATION_SYNTHESIS_DUE_REFERENCE = env("CONSULTATION_SYNTHESIS_DUE_REFERENCE", default="")
CONSULTATION_DEBATE_MIN_NOTICE_DAYS = 3
CONSULTATION_REMINDER_DAYS_BEFORE_CLOSE = 3
CONSULTATION_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
CONSULTATION_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
CONSULTATION_RECOMMENDATIONS_PER_HOUR = 10
# A fan-out claims rows 100 at a time and renews its claim while it sends; a claim not
# renewed for a minute belongs to a dead worker, and the sweep hands its rows on.
CONSULTATION_FANOUT_BATCH_SIZE = 100
CONSULTATION_FANOUT_CLAIM_LEASE_SECONDS = 60
CELERY_BEAT_SCHEDULE.update(
    {
        "consultations-open-due": {
            "task": "consultations.tasks.open_due_consultations",
            "schedule": 60 * 15,
        },
        "consultations-close-expired": {
            "task": "consultations.tasks.close_expired_consultations",
            "schedule": 60 * 15,
        },
        "consultations-reminders": {
            "task": "consultations.tasks.send_closing_reminders",
            "schedule": crontab(hour=8, minute=0),
        },
        "consultations-daily-digest": {
            "task": "consultations.tasks.send_digests",
            "schedule": crontab(hour=7, minute=0),
            "kwargs": {"frequency": "daily"},
        },
        "consultations-weekly-digest": {
            "task": "consultations.tasks.send_digests",
            "schedule": crontab(hour=7, minute=15, day_of_week="mon"),
            "kwargs": {"frequency": "weekly"},
        },
    }
)

# --- Questionnaires: reminders to the rosters' late members, each sent once -------
CELERY_BEAT_SCHEDULE.update(
    {
        "surveys-reminders": {
            "task": "surveys.tasks.send_reminders",
            "schedule": crontab(minute=5),
            "options": {"expires": 60 * 50},
        },
    }
)

# --- Citizens' proposals (issue 19) -------------------------------------------
PROPOSALS_PER_DAY = 5
PROPOSAL_VOTES_PER_MINUTE = 30
CELERY_BEAT_SCHEDULE.update(
    {
        "proposals-close-expired-votes": {
            "task": "consultations.proposals.tasks.close_expired_votes",
            "schedule": 60 * 5,
        },
        "proposals-daily-digest": {
            "task": "consultations.proposals.tasks.send_digests",
            "schedule": crontab(hour=7, minute=5),
            "kwargs": {"frequency": "daily"},
        },
        "proposals-weekly-digest": {
            "task": "consultations.proposals.tasks.send_digests",
            "schedule": crontab(hour=7, minute=20, day_of_week="mon"),
            "kwargs": {"frequency": "weekly"},
        },
    }
)

# --- Authentication ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Sessions in the database, read through the cache (Redis in production).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The named rules first (a rule's answer is final, see conect/accounts/backends.py), then
# allauth's backend (Django's ModelBackend, signing in by e-mail address).
AUTHENTICATION_BACKENDS = [
    "conect.accounts.backends.NamedRuleBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
SITE_ID = 1

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "name*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "conect.accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "conect.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "conect.accounts.allauth_forms.LoginForm",
    "signup": "conect.accounts.allauth_forms.SignupForm",
    "add_email": "conect.accounts.allauth_forms.AddEmailForm",
    "change_password": "conect.accounts.allauth_forms.ChangePasswordForm",
    "set_password": "conect.accounts.allauth_forms.SetPasswordForm",
    "reset_password": "conect.accounts.allauth_forms.ResetPasswordForm",
    "reset_password_from_key": "conect.accounts.allauth_forms.ResetPasswordKeyForm",
    "reauthenticate": "conect.accounts.allauth_forms.ReauthenticateForm",
}
# Tell people when their password or e-mail address changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# How many reverse proxies in front of the site write X-Forwarded-For (docker-compose.yml: 1).
# The client's address is that many entries from the right (conect/core/client_ip.py); 0: the
# site is reached directly and REMOTE_ADDR is the client. allauth's and the API's limits count
# by that address, never by one the client chose.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Failed sign-ins count per account *and* address (AccountAdapter's key), so nobody elsewhere
# can lock the owner out; one address trying many accounts is slowed by the per-address rate.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/key,30/5m/ip",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CONECT] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# A second factor (allauth's MFA): an authenticator app with recovery codes, offered to
# everyone, required for coordinators (conect.accounts.middleware.CoordinatorMFAMiddleware).
MFA_ADAPTER = "conect.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CONECT"

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "ro"
LANGUAGES = [("ro", _("Romanian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "conect_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Europe/Bucharest"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["conect.formats"]

# --- Static and media files -------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Files that must never be served publicly (uploaded registry files, import error reports).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "media-private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="CONECT <noreply@conect.gov.ro>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers (tightened in production.py) --------------------------
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "conect.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", *env.list("MAP_TILE_HOSTS", default=[])],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- REST API ---------------------------------------------------------------
# The public API under /api/v1/ (conect/api_urls.py); its shared parts live in conect/api/.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "conect.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "conect.api.pagination.ApiPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "conect.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["conect.api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "conect.api.negotiation.ApiContentNegotiation",
    "DEFAULT_THROTTLE_CLASSES": ["conect.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": env("API_RATE_ANONYMOUS", default="60/min"),
        "authenticated": env("API_RATE_AUTHENTICATED", default="1000/min"),
    },
    # Behind a reverse proxy, how many proxies append to X-Forwarded-For (for the
    # anonymous rate limit, which counts per client address).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "conect.api.exceptions.api_exception_handler",
    "URL_FORMAT_OVERRIDE": "format",
    "DATETIME_FORMAT": "iso-8601",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# How long a JSON page of a large API list stays in the shared cache under its ETag (it
# is replaced at once when a record on it changes: the ETag changes with it).
API_PAGE_CACHE_SECONDS = env.int("API_PAGE_CACHE_SECONDS", default=300)
SPECTACULAR_SETTINGS = {
    "TITLE": "CONECT API",
    "DESCRIPTION": "Open data of Romania's civic registry: NGOs, public institutions, "
    "relationship officials and advisory structures.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # ReDoc's own greens and reds for the answers' status codes, and its grey for type
    # names, fall just short of WCAG AA contrast (4.36:1, 4.49:1, 4.41:1): darker ones.
    "REDOC_UI_SETTINGS": {
        "theme": {
            "colors": {"success": {"main": "#176d20"}, "error": {"main": "#b3191a"}},
            "schema": {"typeNameColor": "#595959"},
        }
    },
    # An organisation's area of activity and a structure's territorial level share their
    # values (local, county, regional, national): one enum in the schema.
    "ENUM_NAME_OVERRIDES": {
        "TerritorialLevelEnum": "registry.models.AdvisoryStructure.TerritorialLevel",
    },
    "PREPROCESSING_HOOKS": [],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "conect.api.schema.postprocess_schema",
    ],
}

# --- Map --------------------------------------------------------------------
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (45.9, 24.97),
    "DEFAULT_ZOOM": 6,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 12,
    "TILES": env.list("MAP_TILES_URL", default=[]),
    "RESET_VIEW": False,
}

# --- Logging: structured lines to stdout, no personal data ------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "conect.core.logging.JsonFormatter"},
    },
    "filters": {
        "scrub": {"()": "conect.core.logging.ScrubPersonalDataFilter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["scrub"],
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- The site's public obligations -------------------------------------------
# Browser features no page of CONECT uses, denied to every page and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
# Shown in every page's footer, the accessibility statement and the privacy notice.
SITE_CONTACT_EMAIL = env("SITE_CONTACT_EMAIL", default="contact@conect.gov.ro")
DPO_EMAIL = env("DPO_EMAIL", default="dpo@conect.gov.ro")

# --- Feedback on public services (issue 21) -----------------------------------
# An e-mail address left for an answer is erased once a private reply is sent, or after
# this many days when none is.
FEEDBACK_ADDRESS_RETENTION_DAYS = 90
CELERY_BEAT_SCHEDULE.update(
    {
        "feedback-erase-old-addresses": {
            "task": "surveys.feedback.tasks.erase_old_feedback_addresses",
            "schedule": crontab(hour=3, minute=30),
        },
    }
)

# --- Participation guide: training reminders and feedback requests -----------
CELERY_BEAT_SCHEDULE.update(
    {
        "guide-training-reminders": {
            "task": "guide.tasks.send_training_reminders",
            "schedule": crontab(hour=9, minute=0),
        },
        "guide-training-feedback": {
            "task": "guide.tasks.send_training_feedback_requests",
            "schedule": crontab(hour=18, minute=0),
        },
    }
)
