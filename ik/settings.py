"""IK settings, configured by environment variables (see README, "Konfiguration")."""

import os
from pathlib import Path
from typing import Any

from ik.lib.database_url import parse_database_url
from ik.lib.env import env_bool, env_int, env_list, with_secret_files
from ik.security.oidc import authentication_backends, oidc_settings

BASE_DIR = Path(__file__).resolve().parent.parent

# Each of these may instead be read from a file named by NAME_FILE (README, "Konfiguration").
_SECRETS = (
    "IK_SECRET_KEY",
    "DATABASE_URL",
    "IK_EMAIL_HOST_PASSWORD",
    "IK_OIDC_RP_CLIENT_SECRET",
    "IK_BACKUP_KEY",
)
_env = with_secret_files(os.environ, _SECRETS)

DEBUG = env_bool(_env, "IK_DEBUG", False)
IK_DEVELOPMENT = env_bool(_env, "IK_DEVELOPMENT", True)
SECRET_KEY = _env.get("IK_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not IK_DEVELOPMENT:
        raise RuntimeError("IK_SECRET_KEY must be set in production")
    SECRET_KEY = "development-only-not-secret"  # noqa: S105

ALLOWED_HOSTS = env_list(_env, "IK_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list(_env, "IK_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "django_tasks_db",
    "ik.org",
    "ik.plans",
    "ik.followups",
    "ik.systems",
    "ik.contracts",
    "ik.risks",
    "ik.controls",
    "ik.reports",
    "ik.web",
    "ik.accounts",
    "ik.oversight",
    "ik.notifications",
    "ik.security",
    "ik.backup",
    "ik.ops",
]

MIDDLEWARE = [
    "ik.ops.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ik.security.idle.IdleTimeoutMiddleware",
    "ik.ops.middleware.WriteTransactionMiddleware",
]

ROOT_URLCONF = "ik.urls"
WSGI_APPLICATION = "ik.wsgi.application"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

# Forms render through the project's templates, so templates/django/forms/field.html (which
# escapes help texts) replaces Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": parse_database_url(
        _env.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'ik.sqlite3'}")
    )
}
# Production serving (README, "Drift"): writing requests get one transaction each from
# WriteTransactionMiddleware, reads none; connections are kept between requests.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env_int(_env, "IK_DB_CONN_MAX_AGE", 300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# SQLite under concurrent use: WAL lets readers run beside the one writer, and transactions
# that take the write lock when they begin (IMMEDIATE) wait their turn for up to the busy
# timeout instead of failing with "database is locked" when a read turns into a write.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=30000"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Argon2 first: new and changed passwords use it; older hashes are upgraded at next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Login throttling (ik/security/throttle.py).
IK_LOGIN_MAX_FAILURES = env_int(_env, "IK_LOGIN_MAX_FAILURES", 5, minimum=1)
IK_LOGIN_MAX_FAILURES_PER_ADDRESS = env_int(
    _env, "IK_LOGIN_MAX_FAILURES_PER_ADDRESS", 50, minimum=1
)
IK_LOGIN_LOCK_SECONDS = env_int(_env, "IK_LOGIN_LOCK_SECONDS", 900, minimum=1)

# Optional single sign-on (OpenID Connect), off unless IK_OIDC_RP_CLIENT_ID is set.
globals().update(oidc_settings(_env))
AUTHENTICATION_BACKENDS = authentication_backends(globals()["IK_OIDC_ENABLED"])
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# Refused forms get IK's Swedish page instead of Django's English one.
CSRF_FAILURE_VIEW = "ik.web.error_views.csrf_failure"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development static files are served straight from static/; production runs
# collectstatic into STATIC_ROOT first (see README).
WHITENOISE_USE_FINDERS = IK_DEVELOPMENT
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS
STATIC_ROOT = (
    None if WHITENOISE_USE_FINDERS else Path(_env.get("IK_STATIC_ROOT", BASE_DIR / "staticfiles"))
)
MEDIA_ROOT = Path(_env.get("IK_MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"

# Uploads: ledgers can be large, so files stream to disk instead of memory. Files above
# FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file; DATA_UPLOAD_MAX_MEMORY_SIZE caps the
# rest of a request body (form fields, not files); IK_MAX_UPLOAD_BYTES caps each file.
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int(_env, "IK_FILE_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024**2)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int(_env, "IK_DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024**2)
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_PERMISSIONS = 0o640
# Signs and checks organisation archives (exportorg/importorg); unset, both refuse to run.
IK_BACKUP_KEY = _env.get("IK_BACKUP_KEY", "")

IK_MAX_UPLOAD_BYTES = env_int(_env, "IK_MAX_UPLOAD_BYTES", 2 * 1024**3, minimum=1)
# Memory a parser may take beyond what its process has (ik/lib/bounded.py): registers, plans,
# result sheets, structure files, Word templates and logos read in the web process, and each
# control run (ledgers included) in the worker. Over the limit the file is refused, the process
# lives on.
IK_PARSE_MEMORY_MB = env_int(_env, "IK_PARSE_MEMORY_MB", 1024, minimum=16)
IK_PARSE_TIMEOUT_SECONDS = env_int(_env, "IK_PARSE_TIMEOUT_SECONDS", 120, minimum=1)
IK_CONTROL_MEMORY_MB = env_int(_env, "IK_CONTROL_MEMORY_MB", 8192, minimum=16)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Worker heartbeat for readiness (`/halsa/redo/`, README "Drift").
IK_WORKER_HEARTBEAT_SECONDS = env_int(_env, "IK_WORKER_HEARTBEAT_SECONDS", 10, minimum=1)
IK_WORKER_HEARTBEAT_MAX_AGE = env_int(_env, "IK_WORKER_HEARTBEAT_MAX_AGE", 60, minimum=1)
# Fair share of the workers between organisations (ik/controls/services.py, _claim).
IK_CONTROL_RUNS_PER_ORGANISATION = env_int(_env, "IK_CONTROL_RUNS_PER_ORGANISATION", 1, minimum=1)
IK_CONTROL_RUN_RETRY_SECONDS = env_int(_env, "IK_CONTROL_RUN_RETRY_SECONDS", 5, minimum=1)
# A running run whose worker has not renewed its lease for this long is failed.
IK_CONTROL_RUN_LEASE_SECONDS = env_int(_env, "IK_CONTROL_RUN_LEASE_SECONDS", 120, minimum=1)

MAILERS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": _env.get("IK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
    }
}
DEFAULT_FROM_EMAIL = _env.get("IK_DEFAULT_FROM_EMAIL", "ik@localhost")
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    # Reminders go out through the organisation's mail relay (README, "Påminnelser").
    MAILERS["default"]["OPTIONS"] = {
        "host": _env.get("IK_EMAIL_HOST", "localhost"),
        "port": env_int(_env, "IK_EMAIL_PORT", 25, minimum=1),
        "username": _env.get("IK_EMAIL_HOST_USER", ""),
        "password": _env.get("IK_EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool(_env, "IK_EMAIL_USE_TLS", False),
    }

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool(_env, "IK_SECURE_COOKIES", not DEBUG and not IK_DEVELOPMENT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
IK_BEHIND_PROXY = env_bool(_env, "IK_BEHIND_PROXY", False)
if IK_BEHIND_PROXY:
    # Only behind a proxy that sets this header itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers and container health checks probe over plain HTTP behind the TLS proxy.
SECURE_REDIRECT_EXEMPT = [r"^halsa/"]
if not DEBUG and not IK_DEVELOPMENT:
    SECURE_SSL_REDIRECT = env_bool(_env, "IK_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int(_env, "IK_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(_env, "IK_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool(_env, "IK_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list is a decision for the owner of the whole
        # domain, not for one service on it; README explains IK_HSTS_PRELOAD.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Logs (README, "Drift"): text by default; IK_LOG_FORMAT=json writes one JSON object per
# line with the request id, and then also one line per request (ik.request).
IK_LOG_FORMAT = _env.get("IK_LOG_FORMAT", "text")
if IK_LOG_FORMAT not in {"text", "json"}:
    raise ValueError(f"IK_LOG_FORMAT ska vara text eller json, inte {IK_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ik.ops.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "ik.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": IK_LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": _env.get("IK_LOG_LEVEL", "INFO")},
    # gunicorn's access log covers requests in the text format.
    "loggers": {"ik.request": {"level": "INFO" if IK_LOG_FORMAT == "json" else "WARNING"}},
}
