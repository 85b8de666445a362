"""Saferhomes settings, read once from the environment.

Environment variables (all optional in the demo):
    SAFERHOMES_ENV          "development" (default), "test" or "production"
    DATABASE_REPLICA_URL    a read replica for the monthly report, insights and exports (default: none)
    REDIS_URL               shared cache for the API's throttles across web servers (default: the database)
    SAFERHOMES_VAR_DIR      where the SQLite file, generated secret key, uploads and logs live (default ./var)
    DATABASE_URL            e.g. postgres://user@127.0.0.1:5432/saferhomes (default sqlite:///var/saferhomes.sqlite3)
    SECRET_KEY              required in production; generated into var/secret_key for the demo
    ALLOWED_HOSTS           comma-separated (production)
    CSRF_TRUSTED_ORIGINS    comma-separated (production)
    EMAIL_URL-style settings: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS
    DEFAULT_FROM_EMAIL      sender for staff and resident emails
    SAFERHOMES_IDLE_TIMEOUT_MINUTES  staff idle sign-out (default 30)
    SAFERHOMES_TRUSTED_PROXY_COUNT   reverse proxies in front of the app whose X-Forwarded-For is trusted (default 0)
    SAFERHOMES_EVIDENCE_MAX_BYTES    largest evidence file staff may upload (default 20 MB)
    SAFERHOMES_SHARE_MAX_MONTHS      how far ahead a share with a partner agency may end, in months (default 12)
    SAFERHOMES_INTAKE_IMAP_HOST      the intake mailbox `saferhomes fetchmail` reads (unset: IMAP intake is off)
    SAFERHOMES_INTAKE_IMAP_PORT / _USER / _PASSWORD / _MAILBOX / _SSL  (defaults 993, "", "", INBOX, true)
    SAFERHOMES_INTAKE_FETCH_MINUTES  how often the worker reads the intake mailbox (default 5; 0 = only by command)
    SAFERHOMES_INTAKE_WEBHOOK_SECRET shared secret a mail provider sends in X-Saferhomes-Webhook-Secret when it posts
                                     inbound mail to /intake/inbound-email/ (unset: the webhook is off)
    SAFERHOMES_SERVICE_NAME / SAFERHOMES_LANDLORD_NAME
    SAFERHOMES_PUBLIC_URL   the public site's address, for links given to residents (status, diary, survey); required
                            in production (https, not a local address); http://127.0.0.1:8000 in development and tests
    SAFERHOMES_BASE_URL     the staff site's address, for links in emails to staff; required in production, as above
    SAFERHOMES_RESPONSE_ALERT_MINUTES  how often the worker emails about due-soon and overdue responses (default 15)
    SAFERHOMES_AGREEMENT_REVIEW_NOTICE_DAYS  how many days before an information-sharing agreement's review date the
                            staff who keep the register are emailed (default 14)
    SAFERHOMES_OVERSIGHT_BURST_CASES / _BURST_MINUTES  the DPO is alerted when someone reads this many different
                            restricted or DA cases within this many minutes (defaults 10 and 60)
    SAFERHOMES_OVERSIGHT_WORKING_HOURS  reads outside these hours ("08:00-18:00") are flagged when the calendar's office
                            hours are off
    SAFERHOMES_REFERRAL_CHASE_AFTER_WORKING_DAYS  working days after which an unacknowledged referral is chased, and
                                     again after as many more (default 5)
    Observability (issue 20 part 7; ADR 0021):
    SAFERHOMES_LOG_FORMAT   "json" (one JSON object per line: time, level, logger, message, request_id) or "text";
                            default json in production, text elsewhere
    SAFERHOMES_SLOW_REQUEST_MS  a request slower than this is logged on saferhomes.slow (default 1000)
    SAFERHOMES_SLOW_QUERY_MS    a query slower than this is logged there, SQL only, never its values (default 200)
    SAFERHOMES_METRICS_TOKEN    turns on GET /metrics (Prometheus), for a scraper sending "Authorization: Bearer
                                <token>"; unset, /metrics answers 404
    PROMETHEUS_MULTIPROC_DIR    set by `saferhomes serve` (gunicorn's workers share request latency through it)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent  # src/saferhomes
PROJECT_DIR = BASE_DIR.parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("SAFERHOMES_ENV", "development").strip().lower()
if ENVIRONMENT not in {"development", "test", "production"}:
    raise RuntimeError(f"SAFERHOMES_ENV must be development, test or production, not {ENVIRONMENT!r}")
PRODUCTION = ENVIRONMENT == "production"

VAR_DIR = Path(os.environ.get("SAFERHOMES_VAR_DIR", PROJECT_DIR / "var")).resolve()
# The folder holds the SQLite database, uploads and the generated secret key: personal data, for this user only.
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)

# Production refuses to start without what it needs; every missing setting is named in ONE message (issue 20 part 1),
# so an operator fixes them all at once instead of one restart at a time.
PRODUCTION_PROBLEMS: list[str] = []


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        PRODUCTION_PROBLEMS.append(
            "SECRET_KEY (a long random string: python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
        return ""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG", default=ENVIRONMENT == "development")
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    PRODUCTION_PROBLEMS.append("ALLOWED_HOSTS (the site's host names, comma-separated, e.g. asb.example.org)")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

SERVICE_NAME = os.environ.get("SAFERHOMES_SERVICE_NAME", "Report anti-social behaviour")
LANDLORD_NAME = os.environ.get("SAFERHOMES_LANDLORD_NAME", "Calico Homes")

_LOCAL_HOSTS = {"127.0.0.1", "localhost", "0.0.0.0", "::1", "testserver"}  # noqa: S104 - names refused, not bound


def _base_urls(*names: str) -> list[str]:
    """The sites' addresses every absolute link is built on (core.links); production refuses to start without them."""
    values, problems = [], []
    for name in names:
        value = os.environ.get(name, "").strip().rstrip("/")
        if not value and not PRODUCTION:
            value = "http://127.0.0.1:8000"  # the demo's runserver
        parts = urlsplit(value)
        if not value:
            problems.append(f"{name} (the site's public https address, e.g. https://asb.example.org)")
        elif parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
            problems.append(f"{name} must be a site address such as https://asb.example.org, not {value!r}")
        elif PRODUCTION and (parts.scheme != "https" or parts.hostname in _LOCAL_HOSTS):
            problems.append(f"{name} must be the site's public https address in production, not {value!r}")
        values.append(value)
    if problems and not PRODUCTION:
        raise RuntimeError("; ".join(problems))
    PRODUCTION_PROBLEMS.extend(problems)
    return values


# Every absolute link (emails, SMS, PDFs, status and survey links) is built on these addresses by core.links, never
# from a request: links to residents on the public site's, links to staff on the staff site's (it may live elsewhere).
PUBLIC_BASE_URL, SAFERHOMES_BASE_URL = _base_urls("SAFERHOMES_PUBLIC_URL", "SAFERHOMES_BASE_URL")
# /readyz says "not ready" when no worker has written a heartbeat for this long (core.health; a worker beats every 15s).
WORKER_HEARTBEAT_MAX_AGE_SECONDS = int(os.environ.get("SAFERHOMES_WORKER_HEARTBEAT_MAX_AGE_SECONDS", "120"))
RESPONSE_ALERT_EVERY_MINUTES = int(os.environ.get("SAFERHOMES_RESPONSE_ALERT_MINUTES", "15"))
# A referral no agency has acknowledged is chased (the officer reminded) after this many working days, then again
# after as many more (issue 15 item 2; referrals/chasing.py).
REFERRAL_CHASE_AFTER_WORKING_DAYS = int(os.environ.get("SAFERHOMES_REFERRAL_CHASE_AFTER_WORKING_DAYS", "5"))
# How residents reach the landlord's community safety team, shown on the public pages. The defaults are synthetic
# (an Ofcom drama-range phone number, example.org addresses); a landlord sets its own in the environment.
LANDLORD_CONTACT = {
    "phone": os.environ.get("SAFERHOMES_CONTACT_PHONE", "03069 990123"),
    "email": os.environ.get("SAFERHOMES_CONTACT_EMAIL", "communitysafety@example.org"),
    "address": os.environ.get(
        "SAFERHOMES_CONTACT_ADDRESS", "Community Safety Team, 1 Example Street, Exampleton, EX1 1AA"
    ),
    "opening_hours": os.environ.get("SAFERHOMES_CONTACT_HOURS", "Monday to Friday, 9am to 5pm"),
    "dpo_email": os.environ.get("SAFERHOMES_DPO_EMAIL", "dataprotection@example.org"),
}
# Issue 19 part 5 (H4, DPO oversight; ADR 0020): a member of staff reading at least OVERSIGHT_BURST_CASES different
# restricted or DA cases within OVERSIGHT_BURST_MINUTES minutes is an anomaly; so is a read outside working hours: on a
# day the landlord's calendar says is not a working day, or outside its office hours (when office hours are off, outside
# OVERSIGHT_WORKING_HOURS, "HH:MM-HH:MM" in Europe/London).
OVERSIGHT_BURST_CASES = max(2, int(os.environ.get("SAFERHOMES_OVERSIGHT_BURST_CASES", "10")))
OVERSIGHT_BURST_MINUTES = max(1, int(os.environ.get("SAFERHOMES_OVERSIGHT_BURST_MINUTES", "60")))
OVERSIGHT_WORKING_HOURS = os.environ.get("SAFERHOMES_OVERSIGHT_WORKING_HOURS", "08:00-18:00").strip()
# Information-sharing agreements: the register tags an agreement "review due" this many days before its review date,
# and the worker emails the staff who keep the register then (referrals/agreement_reminders.py).
AGREEMENT_REVIEW_NOTICE_DAYS = int(os.environ.get("SAFERHOMES_AGREEMENT_REVIEW_NOTICE_DAYS", "14"))
# Issue 18 parts 3-5 (insights). Published and restricted counts below this are shown as "fewer than N" (ADR 0016).
SUPPRESSION_THRESHOLD = max(1, int(os.environ.get("SAFERHOMES_SUPPRESSION_THRESHOLD", "5")))
# When on, DA cases need current domestic abuse training and hate cases current hate crime training
# (accounts.TrainingRecord) to be seen, in the one visibility filter (cases.selectors.case). Off by default.
TRAINING_GATES_SENSITIVE_CASES = _env_bool("SAFERHOMES_TRAINING_GATES_SENSITIVE_CASES", False)
# The hotspot map is drawn from estate coordinates; a tile server ("https://tiles.example/{z}/{x}/{y}.png") is drawn
# beneath it only when configured (the image host must then be allowed by CONTENT_SECURITY_POLICY's img-src).
MAP_TILE_URL = os.environ.get("SAFERHOMES_MAP_TILE_URL", "").strip()
# Managers are emailed this many days before a policy review is due, and again once it is overdue.
POLICY_REVIEW_NOTICE_DAYS = int(os.environ.get("SAFERHOMES_POLICY_REVIEW_NOTICE_DAYS", "30"))
# ASB Case Review, the review and its outcome (issue 17 parts 3, 4 and 7; ADR 0014): the review panel meets within
# this many working days of the threshold decision, the outcome letter goes within this many working days of the
# meeting (a rule set's `timescales` may say otherwise). Published counts use SUPPRESSION_THRESHOLD above.
CASE_REVIEW_REVIEW_WORKING_DAYS = int(os.environ.get("SAFERHOMES_CASE_REVIEW_REVIEW_WORKING_DAYS", "25"))
CASE_REVIEW_OUTCOME_WORKING_DAYS = int(os.environ.get("SAFERHOMES_CASE_REVIEW_OUTCOME_WORKING_DAYS", "5"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "django_filters",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "saferhomes.core",
    "saferhomes.accounts",
    "saferhomes.housing",
    "saferhomes.cases",
    "saferhomes.risk",
    "saferhomes.documents",
    "saferhomes.referrals",
    "saferhomes.interventions",
    "saferhomes.intake",
    "saferhomes.case_review",
    "saferhomes.privacy",
    "saferhomes.insights",
    "saferhomes.api",
]

MIDDLEWARE = [
    "saferhomes.core.observability.ObservabilityMiddleware",  # first: request id, timing, slow logs (issue 20 part 7)
    "django.middleware.security.SecurityMiddleware",
    # issue 21 part 5: outside every middleware that can refuse a request (a bad Host, a control character), so the
    # refusal pages carry X-Frame-Options too
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "saferhomes.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "saferhomes.core.middleware.ResilientSessionMiddleware",
    "csp.middleware.CSPMiddleware",
    "saferhomes.core.middleware.EdgeMiddleware",  # before anything reads the query string or the database
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "saferhomes.accounts.middleware.IdleTimeoutMiddleware",
    "saferhomes.accounts.middleware.StaffAreaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Browser features no page uses, switched off for every response (the camera stays off: evidence is uploaded as
# files). "()" allows nobody.
PERMISSIONS_POLICY = {
    feature: "()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

ROOT_URLCONF = "saferhomes.config.urls"
WSGI_APPLICATION = "saferhomes.config.wsgi.application"
ASGI_APPLICATION = "saferhomes.config.asgi.application"

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
                "csp.context_processors.nonce",
                "saferhomes.core.context_processors.service",
                "saferhomes.accounts.context_processors.staff_nav",
            ],
        },
    }
]

_DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if PRODUCTION and not _DATABASE_URL.startswith(("postgres://", "postgresql://", "pgsql://")):
    PRODUCTION_PROBLEMS.append(
        "DATABASE_URL (a PostgreSQL database, e.g. postgres://saferhomes@db.internal:5432/saferhomes; "
        + ("SQLite is the demo's database, not production's)" if _DATABASE_URL else "it is not set)")
    )
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL or f"sqlite:///{VAR_DIR / 'saferhomes.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The embedded database holds personal data: the files SQLite creates (database, -wal, -shm), uploads and the
    # generated key are readable and writable by this user only (issue 20: the demo database was 0644).
    os.umask(0o077)

# A read replica for reporting reads (issue 20 part 5; core/replica.py): the monthly report, insights figures and
# CSV/XLSX exports read from it; everything else and every write use the primary. In tests it mirrors the primary.
_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
DATABASE_REPLICA_CONFIGURED = bool(_REPLICA_URL)
if _REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["saferhomes.core.replica.ReportingRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:staff-home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Client IPs (audit trail) come from REMOTE_ADDR unless this many trusted proxies append to X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.environ.get("SAFERHOMES_TRUSTED_PROXY_COUNT", "0"))

# Staff sessions end after this many minutes without a request (idle timeout).
IDLE_TIMEOUT_MINUTES = int(os.environ.get("SAFERHOMES_IDLE_TIMEOUT_MINUTES", "30"))
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# django-axes: lock an account+IP after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("SAFERHOMES_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = SERVICE_NAME
OTP_TOTP_THROTTLE_FACTOR = 1
# Administrators may remove a lost device but never see anyone's TOTP secret or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Password reset links work once and expire after this many seconds (staff accounts reach sensitive data).
PASSWORD_RESET_TIMEOUT = 60 * 60

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Collected static files: outside VAR_DIR in the container image, so that a data volume on VAR_DIR never hides them.
STATIC_ROOT = Path(os.environ.get("SAFERHOMES_STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {
        "BACKEND": (
            (
                "whitenoise.storage.CompressedManifestStaticFilesStorage"
                if _env_bool("SAFERHOMES_STATIC_COMPRESS", default=True)
                else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            )
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Private files (evidence, letters, forms: core/storage.py) — a private folder under VAR_DIR, or an S3 bucket.
S3_BUCKET = os.environ.get("SAFERHOMES_S3_BUCKET", "").strip()
STORAGES["evidence"] = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "location": os.environ.get("SAFERHOMES_S3_PREFIX", "evidence").strip("/"),
            "endpoint_url": os.environ.get("SAFERHOMES_S3_ENDPOINT_URL") or None,  # e.g. MinIO, Ceph; AWS if unset
            "region_name": os.environ.get("SAFERHOMES_S3_REGION") or None,
            # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the machine's role (boto3's usual chain).
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("SAFERHOMES_S3_SIGNED_URL_SECONDS", "60")),
        },
    }
    if S3_BUCKET
    else {"BACKEND": "saferhomes.core.storage.PrivateFileStorage"}
)
WHITENOISE_USE_FINDERS = not PRODUCTION
# Case evidence lives under VAR_DIR/evidence (cases/storage.py), never under a static or media URL.
EVIDENCE_MAX_BYTES = int(os.environ.get("SAFERHOMES_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
# issue 21 part 5: no more than EVIDENCE_MAX_BYTES (+1) of an uploaded file is kept while a request is read.
FILE_UPLOAD_HANDLERS = [
    "saferhomes.core.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# No form takes more than two files at once (the risk instrument and its wording): with 5 at most, one request keeps
# no more than 5 x EVIDENCE_MAX_BYTES on disk (more files: 400).
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# A share with a partner agency ends no more than this many calendar months ahead (referrals/services/shares.py).
SHARE_MAX_MONTHS = int(os.environ.get("SAFERHOMES_SHARE_MAX_MONTHS", "12"))

# Email intake (issue 6 part 4): the IMAP mailbox read by `saferhomes fetchmail`, and the provider webhook's secret.
INTAKE_IMAP = {
    "host": os.environ.get("SAFERHOMES_INTAKE_IMAP_HOST", ""),
    "port": int(os.environ.get("SAFERHOMES_INTAKE_IMAP_PORT", "993")),
    "user": os.environ.get("SAFERHOMES_INTAKE_IMAP_USER", ""),
    "password": os.environ.get("SAFERHOMES_INTAKE_IMAP_PASSWORD", ""),
    "mailbox": os.environ.get("SAFERHOMES_INTAKE_IMAP_MAILBOX", "INBOX"),
    "ssl": _env_bool("SAFERHOMES_INTAKE_IMAP_SSL", True),
}
INTAKE_FETCH_EVERY_MINUTES = int(os.environ.get("SAFERHOMES_INTAKE_FETCH_MINUTES", "5"))
INTAKE_WEBHOOK_SECRET = os.environ.get("SAFERHOMES_INTAKE_WEBHOOK_SECRET", "")

# Shared state for many nodes (issue 20 part 3): the API's throttles and anything else cached live in Redis when
# REDIS_URL is set (redis://host:6379/0), otherwise in the database (table saferhomes_cache, made by migration
# core 0008) — never in one process's memory, so two web servers see the same counts. Sessions, sign-in lockouts
# (django-axes) and the public form's rate limits (intake.IntakeAttempt) are in the database already.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHE_TABLE = "saferhomes_cache"
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "saferhomes"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
    )
}

# Requests each API token may make (ninja's "number/period", s m h d), counted in the shared cache above.
API_RATE_LIMIT = os.environ.get("SAFERHOMES_API_RATE_LIMIT", "1000/m").strip()

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "saferhomes@example.org")
if PRODUCTION and not (os.environ.get("EMAIL_HOST") or os.environ.get("EMAIL_BACKEND")):
    PRODUCTION_PROBLEMS.append(
        "EMAIL_HOST (the SMTP server staff alerts and residents' emails go through), or EMAIL_BACKEND"
    )
elif PRODUCTION and {"console", "locmem", "dummy", "filebased"} & set(EMAIL_BACKEND.split(".")):
    PRODUCTION_PROBLEMS.append(f"EMAIL_BACKEND (a real mail backend; {EMAIL_BACKEND} sends nothing)")

# Text messages (core/sms.py): "console" prints them (development), "twilio" sends through Twilio's REST API with the
# settings below, "none" sends nothing (staff see each message as ready to send by hand). Production defaults to none
# until a provider is set, so nothing is sent by accident.
SMS_BACKEND = os.environ.get("SAFERHOMES_SMS_BACKEND", "none" if PRODUCTION else "console").strip().lower()
SMS_TWILIO = {
    "account_sid": os.environ.get("SAFERHOMES_SMS_TWILIO_ACCOUNT_SID", ""),
    "auth_token": os.environ.get("SAFERHOMES_SMS_TWILIO_AUTH_TOKEN", ""),
    "from": os.environ.get("SAFERHOMES_SMS_FROM", ""),
    "base_url": os.environ.get("SAFERHOMES_SMS_TWILIO_BASE_URL", "https://api.twilio.com").rstrip("/"),
    "timeout": float(os.environ.get("SAFERHOMES_SMS_TIMEOUT_SECONDS", "10")),
}

# Strict Content-Security-Policy: no inline script or style without the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],  # issue 21 part 5: ASVS 3.4.3 (no page uses <base>)
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Load balancers' health checks reach the app over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    if PRODUCTION_PROBLEMS:
        raise RuntimeError(
            "Saferhomes will not start with SAFERHOMES_ENV=production until these are set (or corrected) in the "
            "environment: " + "; ".join(PRODUCTION_PROBLEMS) + ". See docs/operations.md."
        )

# Observability (issue 20 part 7; core/observability.py, core/metrics.py, ADR 0021).
LOG_FORMAT = os.environ.get("SAFERHOMES_LOG_FORMAT", "json" if PRODUCTION else "text").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise RuntimeError(f"SAFERHOMES_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
SLOW_REQUEST_MS = int(os.environ.get("SAFERHOMES_SLOW_REQUEST_MS", "1000"))
SLOW_QUERY_MS = int(os.environ.get("SAFERHOMES_SLOW_QUERY_MS", "200"))
METRICS_TOKEN = os.environ.get("SAFERHOMES_METRICS_TOKEN", "").strip()

# Every handler redacts residents' private-link tokens (core.redaction). Django's own "django" and "django.server"
# loggers are named here so that Django's default handlers (one without the filter, one emailing admins the request)
# are replaced: django.request's lines reach the root handler once (a 403 as one line, no traceback), runserver's
# access log its own filtered handler.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_private_links": {"()": "saferhomes.core.redaction.RedactPrivateLinks"},
        "forbidden_without_traceback": {"()": "saferhomes.core.log_filters.ForbiddenWithoutTraceback"},
        "request_id": {"()": "saferhomes.core.log_context.RequestIdFilter"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
        "json": {"()": "saferhomes.core.logging_json.JsonFormatter"},
        "text": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["redact_private_links", "request_id"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "django.server",
            "filters": ["redact_private_links", "request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF it draws at INFO ("Step 5 - Creating layout"): only its warnings.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["forbidden_without_traceback"]},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
