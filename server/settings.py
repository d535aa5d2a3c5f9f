"""Settings for the branch kiosk server, read from environment variables.

Every setting has a working default for the embedded demo (SQLite, in-process
Celery tasks, in-memory channel layer, mail written to files). Production sets
``DATABASE_URL``, ``CELERY_BROKER_URL``, ``REDIS_URL`` and ``SECRET_KEY``.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# The demo keeps its settings (DEBUG, its own SECRET_KEY) in a .env file next to
# manage.py, so every command the README prints works without exporting anything.
# Variables of the environment win over the file; ENV_FILE names another file, or none.
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE)

DEVELOPMENT_SECRET_KEY = "dev-insecure-branchkiosk-secret-key-change-me-in-production-0123456789"

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY and not env.bool("ALLOW_DEV_SECRET", False):
    raise ImproperlyConfigured(
        "SECRET_KEY is the development key. Set SECRET_KEY, or DEBUG=1 for development."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "booking",
]

# API calls without a session cookie skip session, auth and messages (the lean
# path, booking/middleware_lean.py); a request with a session takes the whole chain.
MIDDLEWARE = [
    "booking.middleware_lean.LeanPathMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "booking.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "booking.middleware.DatabaseUnavailableMiddleware",
    "booking.middleware_lean.LeanSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "booking.middleware.BodyLimitMiddleware",
    "booking.middleware.LoginThrottleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "booking.middleware_lean.LeanAuthenticationMiddleware",
    "booking.middleware_lean.LeanMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Bodies (JSON or forms) over 1 MiB are refused with 413 (booking.middleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

ROOT_URLCONF = "server.urls"
WSGI_APPLICATION = "server.wsgi.application"
ASGI_APPLICATION = "server.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take SQLite's write lock up front, which serialises
    # every booking transaction: the SQLite stand-in for the exclusion constraint.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not memory, so threads of a live test server get their own connections.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    # A connection pool per process: under ASGI every request runs in a thread of its own,
    # so persistent per-thread connections would pile up until PostgreSQL refuses more.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": 5,
            # Values travel apart from the statement text, and a statement a connection
            # has sent twice is prepared: PostgreSQL then skips planning it, which cost
            # more than running a check-in's lookup (``scripts/bench http``). Turn both
            # off behind a pooler in transaction mode (PgBouncer before 1.21).
            "server_side_binding": env.bool("DB_SERVER_SIDE_BINDING", default=True),
            "prepare_threshold": 2 if env.bool("DB_PREPARED_STATEMENTS", default=True) else None,
            "pool": {
                "min_size": env.int("DB_POOL_MIN", default=2),
                "max_size": env.int("DB_POOL_MAX", default=10),
                "timeout": env.int("DB_POOL_TIMEOUT", default=10),
            },
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, channel layer --------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # django-redis keeps one connection pool per process; Django's own Redis backend
    # builds a new one per thread, and under ASGI every request has a thread of its own.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="branchkiosk"),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 gives every read a 5-second timeout, as long as the layer's
                # blocking pop waits, so quiet screens lost their connection to that race.
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": 15,
                        # redis-py's pool refuses a 101st connection by default: hundreds
                        # of live pages closing at once (found by the load test) each
                        # need one for their group_discard.
                        "max_connections": env.int("CHANNELS_REDIS_MAX_CONNECTIONS", default=1000),
                    }
                ],
                "prefix": env.str("CHANNELS_PREFIX", default="branchkiosk"),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- auth ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff-login"
LOGIN_REDIRECT_URL = "staff-home"

# --- i18n ---------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "booking" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- static files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- e-mail and SMS ---------------------------------------------------------------
EMAIL_HOST = env.str("EMAIL_HOST", default="")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
    EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Termine <termine@bank.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env.str("SMS_BACKEND", default="booking.sms.FileSMSBackend")
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(VAR_DIR / "sms"))

# --- Celery ---------------------------------------------------------------------
# Without a broker every task runs in-process, right away: the embedded default. Celery
# still builds a producer for eager tasks, so point it at kombu's in-memory transport
# rather than its default of a RabbitMQ on localhost.
CELERY_TASK_ALWAYS_EAGER = not env.str("CELERY_BROKER_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "memory://"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="branchkiosk")
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {"task": "booking.tasks.send_due_reminders", "schedule": 300.0},
    "resend-lost-messages": {"task": "booking.tasks.resend_lost_messages", "schedule": 60.0},
    "retry-ticket-messages": {"task": "booking.tasks.retry_ticket_messages", "schedule": 120.0},
    "mark-no-shows": {"task": "booking.tasks.mark_no_shows", "schedule": 60.0},
    "flag-overdue-alerts": {"task": "booking.tasks.flag_overdue_alerts", "schedule": 300.0},
    "forget-ticket-contacts": {"task": "booking.tasks.forget_ticket_contacts", "schedule": 3600.0},
    "anonymize-expired-customers": {
        "task": "booking.tasks.anonymize_expired_customers",
        "schedule": 3600.0,
    },
    "check-service-levels": {"task": "booking.tasks.check_service_levels", "schedule": 60.0},
    "ask-for-rerating": {"task": "booking.tasks.ask_for_rerating", "schedule": 900.0},
}

# --- REST framework ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "booking.api.authentication.StaffTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "booking.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "booking.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Branch kiosk and appointment API",
    "DESCRIPTION": "Book advisor appointments, check in at the kiosk, run live queues.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AppointmentStatusEnum": "booking.models.AppointmentStatus.choices",
        "TicketStatusEnum": "booking.models.TicketStatus.choices",
        "AdvisorStatusEnum": "booking.models.AdvisorStatus.choices",
        "AlertStatusEnum": "booking.models.AlertStatus.choices",
        "PauseReasonEnum": "booking.models.PauseReason.choices",
    },
}

# How many reverse proxies stand in front of the app servers: throttles read the client
# address from X-Forwarded-For only that deep; with 0 a client cannot choose its address.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
# Throttles: (requests, window seconds). Counted atomically in the cache.
THROTTLES = {
    "booking": env.str("THROTTLE_BOOKING", default="30/60"),
    "token_login": env.str("THROTTLE_TOKEN_LOGIN", default="10/60"),
    "wrong_code": env.str("THROTTLE_WRONG_CODE", default="20/600"),
    "public_read": env.str("THROTTLE_PUBLIC_READ", default="600/60"),
}

# --- product rules ---------------------------------------------------------------
# Live future bookings one e-mail address may hold per branch (compared case-insensitively).
MAX_LIVE_BOOKINGS_PER_EMAIL = env.int("MAX_LIVE_BOOKINGS_PER_EMAIL", default=3)
RETENTION_DAYS = env.int("RETENTION_DAYS", default=730)
ALERT_FOLLOW_UP_HOURS = env.int("ALERT_FOLLOW_UP_HOURS", default=24)
# Where seed_demo keeps the demo's random passwords and kiosk tokens (mode 0600).
DEMO_SECRETS_FILE = env.str("DEMO_SECRETS_FILE", default=str(VAR_DIR / "demo-secrets.json"))
# A waiting visitor with a phone or e-mail is told "almost your turn" at this place.
NOTIFY_POSITION = env.int("NOTIFY_POSITION", default=2)
if NOTIFY_POSITION < 1:
    raise ImproperlyConfigured("NOTIFY_POSITION must be 1 or more.")
# The public availability answer is kept this long in the cache (0: computed every time);
# every booking, cancellation and change of hours makes a new one at once.
AVAILABILITY_CACHE_SECONDS = env.int("AVAILABILITY_CACHE_SECONDS", default=5)
if AVAILABILITY_CACHE_SECONDS < 0:
    raise ImproperlyConfigured("AVAILABILITY_CACHE_SECONDS must be 0 or more.")

# --- security ---------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django gives its "django" logger a console handler of its own under DEBUG; with
        # the root's as well, the demo printed every request twice. Root alone prints them.
        "django": {"handlers": [], "level": env.str("LOG_LEVEL", default="INFO")},
        "django.db.backends": {"level": "WARNING"},
    },
}
