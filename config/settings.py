"""Flipside settings: one module, driven by environment variables (see docs/configuration.md)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_choice, env_int, env_list, env_optional, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# "development" is the embedded default (SQLite, eager Celery, console email);
# "production" turns on every deployment safeguard and requires real secrets.
ENVIRONMENT = env_choice("FLIPSIDE_ENV", ("development", "production"), "development")
IS_PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not IS_PRODUCTION)
SECRET_KEY = env_str(
    "DJANGO_SECRET_KEY",
    # Only the embedded default may fall back to a fixed key; production must supply one.
    default=None if IS_PRODUCTION else "dev-only-insecure-key-flipside-do-not-use-in-production",
    required=IS_PRODUCTION,
)
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=() if IS_PRODUCTION else ("127.0.0.1", "localhost")
)
if not IS_PRODUCTION:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Absolute links in emails and calendar feeds. bin/serve sets it to the port it serves on;
# production must say where users reach the site.
SITE_URL = env_str(
    "FLIPSIDE_SITE_URL",
    default=None if IS_PRODUCTION else "http://127.0.0.1:8000",
    required=IS_PRODUCTION,
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "csp",
    "template_partials",
    # First of ours: its ready() gives every form text field the control-character guard.
    "safetext",
    "accounts",
    "organisations",
    "programmes",
    "matching",
    "sessions.apps.MentoringSessionsConfig",
    "feedback",
    "notifications",
    "reports",
    "jobs",
    "ui",
    "demo",
    "sso",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise: static files keep their long public caching, app responses do not.
    "config.middleware.PrivateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "organisations.language.MemberLanguageMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organisations.context_processors.tenant",
            ],
        },
    }
]

# Database: SQLite file in the project unless DATABASE_URL points elsewhere.
DATABASE_URL = env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file (not memory) so that a real Celery worker process can share the test database.
    # Per process, so that several test runs on one machine do not share a file.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "organisation-list"

# django-allauth: email is the login; verification is mandatory in production.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_choice(
    "ACCOUNT_EMAIL_VERIFICATION",
    ("mandatory", "optional", "none"),
    "mandatory" if IS_PRODUCTION else "optional",
)
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# accounts.adapter.AccountAdapter (outbox, rate-limit keys) plus sso's mandatory-SSO rule.
ACCOUNT_ADAPTER = "sso.account_adapter.SsoAwareAccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if IS_PRODUCTION else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Flipside] "

# Two-factor authentication (allauth.mfa): authenticator apps, passkeys, recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Flipside"
# Passkeys are a second factor after the password, not a password-less login.
MFA_PASSKEY_LOGIN_ENABLED = False
# Browsers offer WebAuthn on https and on http://localhost only.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not IS_PRODUCTION
# Whether a new organisation starts with "HR admins must use two-factor authentication".
FLIPSIDE_ADMIN_MFA_DEFAULT = env_bool("FLIPSIDE_ADMIN_MFA_DEFAULT", default=IS_PRODUCTION)
# The account page lists a person's sessions (allauth.usersessions) and signs out the others.
# Sessions are recorded at sign-in; tracking every request would cost a write per page.
USERSESSIONS_TRACK_ACTIVITY = False

# Single sign-on per organisation (allauth.socialaccount, OpenID Connect). Providers are
# rows of sso.IdentityProvider, built into allauth apps by sso.adapter; client secrets are
# encrypted with SSO_SECRET_KEY (Fernet), kept apart from SECRET_KEY like FEEDBACK_SECRET.
SOCIALACCOUNT_ADAPTER = "sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
# Without SSO_SECRET_KEY the key derives from SECRET_KEY: rotating that one then makes the
# stored secrets unreadable (the admin enters them again). Set it to keep them apart.
SSO_SECRET_KEY = env_str("SSO_SECRET_KEY", default=f"sso:{SECRET_KEY}")
# Issuers must be https on public addresses in production (no requests to internal hosts).
SSO_ALLOW_INSECURE_ISSUERS = env_bool("SSO_ALLOW_INSECURE_ISSUERS", default=not IS_PRODUCTION)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("FLIPSIDE_MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Email: console on the embedded default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_optional("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="Flipside <noreply@flipside.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8, minimum=1)
# A row claimed for longer than this is presumed lost with its worker and is retried.
OUTBOX_CLAIM_TIMEOUT_SECONDS = env_int("OUTBOX_CLAIM_TIMEOUT_SECONDS", 600, minimum=30)

# Celery: eager and in-memory without REDIS_URL; a real broker and result backend with it.
REDIS_URL = env_optional("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# No task result is read back: storing none also keeps a publish from touching the backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Must exceed the longest task (its hard time limit), or Redis redelivers a message that is
# still being worked on. A killed worker's jobs do not wait for it: the jobs sweep sends them
# again once their heartbeat stops (JOB_STALE_SECONDS). Short socket timeouts: a web request
# never waits more than about a second on a broker that is down (config/broker.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60,
    "socket_connect_timeout": 1,
    # A publish tries to connect once (a worker's own reconnection loop retries forever).
    "max_retries": 0,
    "socket_timeout": env_int("CELERY_BROKER_SOCKET_TIMEOUT", 2, minimum=1),
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # A worker waits for Redis to come back, forever.
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
JOBS_SWEEP_SECONDS = env_int("JOBS_SWEEP_SECONDS", 30, minimum=1)
CELERY_BEAT_SCHEDULE = {
    # Durable jobs whose message was lost (broker down or restarted) or whose worker died.
    "redispatch-stalled-jobs": {
        "task": "jobs.redispatch_stalled",
        "schedule": JOBS_SWEEP_SECONDS,
    },
    "send-pending-emails": {
        "task": "notifications.send_pending_emails",
        "schedule": env_int("OUTBOX_SWEEP_SECONDS", 60, minimum=5),
    },
    # Reminders are rows swept here (never far-future countdowns); dedup keys make it safe.
    "sweep-session-reminders": {
        "task": "sessions.sweep_reminders",
        "schedule": env_int("SESSION_REMINDER_SWEEP_SECONDS", 300, minimum=30),
    },
    # Eligibility for new held sessions, then shuffled release of pending ratings.
    "sweep-feedback": {
        "task": "feedback.sweep",
        "schedule": env_int("FEEDBACK_SWEEP_SECONDS", 600, minimum=60),
    },
    # Daily, so a missed run catches up; the report's unique month key makes it once a month.
    "schedule-monthly-reports": {
        "task": "reports.schedule_monthly_reports",
        "schedule": crontab(hour=6, minute=0),
    },
}

# Durable jobs (jobs/): a queued job not started within the grace is sent again; a running
# job's worker beats every JOB_HEARTBEAT_SECONDS and is presumed dead after JOB_STALE_SECONDS.
JOB_QUEUED_GRACE_SECONDS = env_int("JOB_QUEUED_GRACE_SECONDS", 60, minimum=1)
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 15, minimum=1)
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 90, minimum=2)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 5, minimum=1)
JOB_MAX_DISPATCHES = env_int("JOB_MAX_DISPATCHES", 20, minimum=1)

# Feedback: the key that seals rating fields and derives rater keys. Kept apart from
# SECRET_KEY so that rotating the session secret does not make sealed ratings unreadable.
FEEDBACK_SECRET = env_str("FEEDBACK_SECRET", default="", required=IS_PRODUCTION)

# Cache: shared by every web process, so allauth's rate limits hold across gunicorn workers
# and survive restarts. Redis when REDIS_URL is set; otherwise a database table (created by
# a migration of `accounts`), so even the embedded default shares limits between processes.
CACHE_URL = env_optional("CACHE_URL") or REDIS_URL
CACHES = {
    "default": (
        {
            "BACKEND": "config.cache.PrefixedRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", default="flipside"),
        }
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "flipside_cache",
        }
    )
}

# Rate limits (django-allauth). A failed login counts against the pair (client IP, account):
# see accounts.adapter.AccountAdapter._get_login_attempts_cache_key. A stranger guessing
# from elsewhere therefore cannot lock a person out of their own network; the per-IP limit
# stops one address from spraying many accounts.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
}

# django-scopes: tenant queries outside an active scope raise (fail closed).
SCOPES_DISABLED = False

# Outside production, whitenoise serves straight from the app folders (no collectstatic).
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Rating paths are redacted in every record (django.request, django.server, …): see
    # config/log_redaction.py; gunicorn's access log uses its logger class (gunicorn.conf.py).
    "filters": {"rating_paths": {"()": "config.log_redaction.RatingPathFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["rating_paths"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING", "propagate": True},
        # Drop Django's default (unfiltered) handlers: records reach the redacting root console.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# Content-Security-Policy in every environment (so that development and the browser tests
# meet the production policy): our own origin only, no inline script or style, no eval.
# form-action is left open: signing in through an organisation's identity provider posts a
# form that redirects to that provider.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
# Browser features the app never uses are off; passkeys (WebAuthn) stay on for our origin.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "publickey-credentials-get": ["self"],
}

# Trust X-Forwarded-Proto only behind our own reverse proxy (docker-compose puts Caddy in
# front of gunicorn): a client talking to gunicorn directly could otherwise claim HTTPS.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Every request comes from the proxy's address: the client's is the one it appends to
    # X-Forwarded-For (the login rate limits are keyed on it).
    ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 1, minimum=1)

if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # The container healthcheck calls gunicorn directly over HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
