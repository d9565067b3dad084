"""Settings for the MVT conference app, read from the environment.

Development defaults just work (SQLite, console email, DEBUG on); production sets
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and the EMAIL_* variables.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")
# Badge codes are derived from a random seed under this key and stored only as a hash
# (registration/badge_codes.py). Empty: SECRET_KEY (and its fallbacks) are used. Set it to rotate
# SECRET_KEY without touching badges; old keys listed in BADGE_CODE_KEY_FALLBACKS still reprint badges.
BADGE_CODE_KEY = os.environ.get("BADGE_CODE_KEY", "")
BADGE_CODE_KEY_FALLBACKS = env_list("BADGE_CODE_KEY_FALLBACKS", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Absolute base for links that leave the site (calendar feeds, emails).
# In development it follows the port `make run PORT=…` serves on (MVT_PORT, passed to the web server and the
# worker alike); production sets SITE_URL.
_DEV_SITE_URL = f"http://127.0.0.1:{os.environ.get('MVT_PORT', '8000')}"
SITE_URL = os.environ.get("SITE_URL", _DEV_SITE_URL if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise RuntimeError("SITE_URL (e.g. https://mvt.example.se) must be set when DEBUG is off.")

INSTALLED_APPS = [
    "mvt.apps.OrganiserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "sessions.apps.ProgrammeConfig",
    # Before registration: the organisers' role group is given the API token permissions after migrate.
    "api.apps.ApiConfig",
    "registration.apps.RegistrationConfig",
]

MIDDLEWARE = [
    # Before the HTTPS redirect, which is what loops when a proxy's header is not trusted.
    "mvt.middleware.WarnUntrustedForwardedProtoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that may query the database, so that a retried GET runs all of it again.
    "mvt.middleware.RetryReadsOnLostConnectionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mvt.middleware.SwedishFirstLocaleMiddleware",
    # After the language (their 400 page is translated), before anything reads the request's form or
    # queries the database with its path or query string.
    "mvt.middleware.RefuseNonUtf8FormsMiddleware",
    "mvt.middleware.RefuseControlCharactersMiddleware",
    "mvt.middleware.ReadOnlyDatabaseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "registration.middleware.StaffMFAMiddleware",
]

ROOT_URLCONF = "mvt.urls"
WSGI_APPLICATION = "mvt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "registration.context_processors.staff_nav",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A kept connection the server has dropped is found before a request uses it, not by a 500.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the development server and a management command share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Row locks (common.locking) wait at most this long, then the request answers "busy".
LOCK_TIMEOUT_MS = int(os.environ.get("LOCK_TIMEOUT_MS", "3000"))
# A seminar's door admits people from this many minutes before it starts (earlier scans answer too_early).
DOOR_OPENS_MINUTES_BEFORE = int(os.environ.get("DOOR_OPENS_MINUTES_BEFORE", "30"))

# Cache, shared by every process that serves the site: login rate limits and one-time-code ("already used")
# markers live in it, so a per-process cache would multiply the limits by the number of workers. Redis
# (REDIS_URL) when there is one; otherwise, in production, a table in the database (migration
# registration 0007 creates it). Only the development server (DEBUG on, one process) keeps it in memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TABLE = "mvt_cache"
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "mvt")}}
    # Sessions read from the shared cache and are kept in the database behind it.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}}

# The REST API (api/): token authentication only (no cookies, so no CSRF), JSON only, errors as
# {"code", "detail"}. Rates per minute for anonymous clients (per IP) and per token, from the environment.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.AnonymousRateThrottle", "api.throttles.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
API_RATE_ANONYMOUS = os.environ.get("API_RATE_ANONYMOUS", "120/min")
API_RATE_TOKEN = os.environ.get("API_RATE_TOKEN", "600/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "MVT API",
    "DESCRIPTION": "The published programme (public) and, with an organiser's token, registrations, bookings, "
                   "lines and check-ins of one conference.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SeminarStatusEnum": "sessions.models.SeminarStatus",
        "BookingStatusEnum": "registration.models.BookingStatus",
        "RegistrationStatusEnum": "registration.models.RegistrationStatus",
    },
}

# Background work: django-tasks with its database backend, so a task is a row written in the same
# transaction as the change that causes it. `manage.py run_worker` runs them (make run starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The email outbox (registration.outbox): back-off base between retries, and how long one send may take
# before another worker may try the message again.
OUTBOX_RETRY_BASE_SECONDS = float(os.environ.get("OUTBOX_RETRY_BASE_SECONDS", "30"))
OUTBOX_LEASE_SECONDS = float(os.environ.get("OUTBOX_LEASE_SECONDS", "120"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# Email: console in development, SMTP from the environment in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "MVT <noreply@mvt.invalid>")

# django-allauth: email is the login; verification is mandatory; rate limits stay on.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Confirming the address in the browser that signed up logs in and goes on to the page the sign-up came from.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# The name every email carries (subject prefix, greeting, signature) instead of the host and port.
SITE_NAME = os.environ.get("SITE_NAME", "MVT – Mötesplats Välfärdsteknologi")
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# allauth's own emails (verification, password reset) go through the outbox too.
ACCOUNT_ADAPTER = "registration.adapters.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Failed logins: at most 5 in 5 minutes per (address, client IP) (the adapter puts the IP in the key), and at
# most 10 a minute and 30 an hour from one IP whatever the addresses.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,30/h/ip,5/5m/key"}
# The client IP for those limits: REMOTE_ADDR unless the proxies in front are trusted. Off by default, since
# anyone can send X-Forwarded-For; behind N proxies of your own set ALLAUTH_TRUSTED_PROXY_COUNT=N, or name the
# header your proxy sets (e.g. X-Real-IP) in ALLAUTH_TRUSTED_CLIENT_IP_HEADER.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("ALLAUTH_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("ALLAUTH_TRUSTED_CLIENT_IP_HEADER") or None


def _user_display(user) -> str:
    """allauth shows people by email: usernames here are internal."""
    return user.email or user.get_username()


ACCOUNT_USER_DISPLAY = _user_display
MFA_TOTP_ISSUER = "MVT"

SESSION_COOKIE_HTTPONLY = True
# The language switch's cookie, like the others: HTTPS only in production, not sent with cross-site requests.
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# One handler, on the root logger. Django's default configuration also gives its "django" logger a console
# handler (with DEBUG on), and that logger propagates to the root: every line of it was written twice.
# "django.server" (runserver's request lines) keeps its own handler and does not propagate.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}

# Parallel test runs against one PostgreSQL server can each name their own test database.
if os.environ.get("DATABASE_TEST_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DATABASE_TEST_NAME"]}
