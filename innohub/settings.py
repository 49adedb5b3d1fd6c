"""innohub settings: one module, every knob an environment variable with a safe default.

See docs/operator-guide.md for the list and for production values.
"""

from __future__ import annotations

import os
import secrets
import warnings
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from innohub.core.csp import INLINE_SCRIPT_HASHES

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("INNOHUB_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else from a local file generated on first use."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = Path(os.environ.get("SECRET_KEY_FILE", VAR_DIR / "secret_key"))
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


DEBUG = env_bool("DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "innohub.core.admin_site.InnohubAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    # Third-party apps the admin lists, under names a person reads (innohub/core/apps_named.py).
    "innohub.core.apps_named.SignInAttemptsConfig",
    "django_otp",
    "innohub.core.apps_named.AuthenticatorAppsConfig",
    "innohub.core.apps_named.BackupCodesConfig",
    "django_htmx",
    "ninja",
    "django_tasks",
    "innohub.core.apps_named.BackgroundTasksConfig",
    "innohub.core",
    "innohub.geo",
    "innohub.orgs",
    "innohub.accounts",
    "innohub.services",
    "innohub.pipeline",
    "innohub.training",
    "innohub.network",
    "innohub.engagement",
    "innohub.talent",
    "innohub.insights",
    "innohub.api",
    "innohub.demo",
]

MIDDLEWARE = [
    # Every line a request logs carries its id (X-Request-ID, the proxy's or made here).
    "innohub.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A locked or unreachable database answers 503 with Retry-After, not a 500.
    "innohub.core.middleware.DatabaseUnavailableMiddleware",
    # Reads on replicas when there are some; a request a replica failed is asked again.
    "innohub.core.replicas.ReplicaMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers compressed for phones on slow links (a recorder page of 150 steps:
    # 100 KB as HTML, 12 KB gzipped), with Django's mitigation of BREACH (random bytes in
    # each answer). After WhiteNoise, which serves static files compressed ahead of time.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "innohub.accounts.middleware.TwoFactorRequiredMiddleware",
    "innohub.accounts.middleware.RememberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last: it turns lock-outs into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "innohub.urls"
WSGI_APPLICATION = "innohub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "innohub" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "innohub.core.context_processors.navigation",
            ],
        },
    },
]
# `{{ form }}` renders GOV.UK Frontend form groups (templates in innohub/templates/django/forms/).
FORM_RENDERER = "innohub.core.forms.GovukFormRenderer"

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'innohub.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; the busy timeout waits for the lock
    # instead of failing at once (web server and task worker share the file).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)

# Read replicas (PostgreSQL streaming replicas of the primary above), comma-separated URLs:
# read-only requests read from them, writes and what follows a write go to the primary
# (innohub/core/replicas.py; docs/operator-guide.md, "Read replicas").
REPLICA_ALIASES: list[str] = []
for _number, _url in enumerate(
    (url.strip() for url in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if url.strip()),
    start=1,
):
    _replica = dj_database_url.parse(
        _url,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    _replica["TEST"] = {"MIRROR": "default"}  # tests read what they wrote
    DATABASES[f"replica{_number}"] = _replica
    REPLICA_ALIASES.append(f"replica{_number}")
if REPLICA_ALIASES:
    DATABASE_ROUTERS = ["innohub.core.replicas.ReplicaRouter"]
# A client that wrote reads from the primary this long (seconds), while replicas catch up.
REPLICA_READ_YOUR_WRITES_SECONDS = int(os.environ.get("REPLICA_READ_YOUR_WRITES_SECONDS") or 10)
# A replica further behind than this (seconds) is left out until it catches up.
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS") or 5)
# How often each process asks a replica whether it answers and how far behind it is.
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS") or 2)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "innohub.accounts.hashers.Argon2idHasher",  # OWASP's cost, not Django's (ADR 0026)
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The page above for people, the API's error shape for programs (both 429).
AXES_LOCKOUT_CALLABLE = "innohub.accounts.lockout.lockout_response"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Behind N reverse proxies the client's address is the Nth entry from the right of
# X-Forwarded-For; throttling by the proxy's own address would lock everyone out together.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "innohub.core.net.client_ip"

OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "innohub")
# Roles whose members must pass two-factor before they see any page.
TWO_FACTOR_ROLES = ["administrator", "programme_manager"]

API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("bn", _("Bangla")),
    ("bs", _("Bosnian")),
    ("fr", _("French")),
]
LOCALE_PATHS = [BASE_DIR / "innohub" / "locale"]
# Digit grouping Django's own formats leave out (Bangla by lakh, Bosnian by thousand).
FORMAT_MODULE_PATH = ["innohub.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Dhaka")
# The currency national money figures are summed in (ISO 4217); pilots in another currency
# are counted apart (docs/api.md, "Insights").
CURRENCY = os.environ.get("CURRENCY", "BDT")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "innohub" / "static", BASE_DIR / "assets" / "build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Serve straight from the source folders unless collectstatic has been run for production.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
# Until collectstatic has run (never, in development) STATIC_ROOT is absent: that is expected.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Journey files waiting for the task worker: storage that app servers and workers share.
IMPORT_DIR = Path(os.environ.get("INNOHUB_IMPORT_DIR", VAR_DIR / "imports"))
# The largest journey file accepted, in MiB (a CSV takes about 100 bytes a step row).
IMPORT_MAX_BYTES = int(os.environ.get("INNOHUB_IMPORT_MAX_MB") or 200) * 2**20
# How far an XLSX file may expand when unzipped, in MiB: Excel's fullest sheet in the journey
# file's columns (1,048,576 rows) is about 0.9 GiB of XML; a ZIP bomb is refused before parsing.
IMPORT_MAX_XLSX_EXPANDED_BYTES = (
    int(os.environ.get("INNOHUB_IMPORT_MAX_XLSX_EXPANDED_MB") or 1024) * 2**20
)

# --- E-mail -------------------------------------------------------------------------------
# Console (the log) until an SMTP host is given; EMAIL_BACKEND overrides either.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "innohub <noreply@localhost>")
if os.environ.get("EMAIL_HOST"):
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)

# --- Figures --------------------------------------------------------------------------------
# A service's TCV distribution is cached (in this process's memory) under the version of its
# journeys, which every journey write bumps: figures follow each write at once. A changed
# hourly wage reaches the cached opportunity cost within this many seconds.
TCV_CACHE_SECONDS = int(os.environ.get("TCV_CACHE_SECONDS") or 600)

# --- Background tasks ---------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The address people reach innohub at: links in e-mails the task worker sends.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# A running job's worker renews its lease every quarter of this; a lease this old means the
# worker is gone, and the sweep (every JOB_SWEEP_SECONDS, on every worker) queues the job
# again, or fails it once it has been started JOB_MAX_ATTEMPTS times (innohub/core/jobs.py).
JOB_LEASE_SECONDS = float(os.environ.get("JOB_LEASE_SECONDS", "120"))
JOB_SWEEP_SECONDS = float(os.environ.get("JOB_SWEEP_SECONDS", "60"))
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "3"))
# Files made by jobs (large exports) are kept this many days for the person who asked, in
# storage the app servers (which send them) and the workers (which write them) share.
JOB_FILE_DAYS = int(os.environ.get("JOB_FILE_DAYS", "7"))
JOB_FILE_DIR = Path(os.environ.get("INNOHUB_JOB_FILE_DIR", VAR_DIR / "job-files"))
# Whether this worker keeps the schedule (monthly reviews on the 1st): on by default; a
# deployment may keep it on some workers only (it is safe on all).
WORKER_SCHEDULE = env_bool("INNOHUB_WORKER_SCHEDULE", True)
# Monthly reviews (PDF and spreadsheet), the cabinet's archive: kept, in shared storage.
REPORT_DIR = Path(os.environ.get("INNOHUB_REPORT_DIR", VAR_DIR / "reports"))
# The licence of the open data (`/api/v1/open-data.zip`): an SPDX id.
OPEN_DATA_LICENSE = os.environ.get("OPEN_DATA_LICENSE", "CC-BY-4.0")
# An exchange's follow-up ("what changed at home?") is due this many weeks after it ends.
EXCHANGE_FOLLOW_UP_WEEKS = int(os.environ.get("EXCHANGE_FOLLOW_UP_WEEKS") or 6)

# Citizen engagement: the days a citizen's name and contact are kept by default (each
# consultation may say otherwise), and unsigned contributions a client address may send in
# a clock hour (held between 10 and 30: docs/decisions/0028).
ENGAGEMENT_RETENTION_DAYS = int(os.environ.get("ENGAGEMENT_RETENTION_DAYS", "365"))
ENGAGEMENT_CONTRIBUTIONS_PER_HOUR = int(os.environ.get("ENGAGEMENT_CONTRIBUTIONS_PER_HOUR", "20"))
# A pilot submitted, approved or ongoing with no change for this many days is "stalled".
REVIEW_STALLED_DAYS = int(os.environ.get("REVIEW_STALLED_DAYS") or 60)
# /healthz says "degraded" when a queued task has waited longer than this for a worker.
HEALTHZ_QUEUE_MAX_WAIT_SECONDS = int(os.environ.get("HEALTHZ_QUEUE_MAX_WAIT_SECONDS") or 300)

# --- Security -----------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Health checks come from the proxy or the monitoring on the private network, in plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live)?$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# A form sent with a stale token gets a page that says how to recover, not Django's debug text.
CSRF_FAILURE_VIEW = "innohub.core.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 12)))

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", *INLINE_SCRIPT_HASHES],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# To standard error; every line a request logs carries its id (innohub/core/logs.py).
# LOG_FORMAT=json writes one JSON object a line, for a log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "innohub.core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "innohub.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if os.environ.get("LOG_FORMAT", "").lower() == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
