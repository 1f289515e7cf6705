"""Settings for the Répertoire des compétences sociales.

One file, driven by environment variables through small typed helpers that refuse
nonsense values. SQLite is the zero-config default; DATABASE_URL switches to PostgreSQL.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (0/1), got {value!r}")


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}")
    return number


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envaddresses(name: str) -> list[tuple[str, str]]:
    """ "Camille <camille@example.org>, alex@example.org" -> [(name, address), …]."""
    value = os.environ.get(name, "")
    addresses = getaddresses([value]) if value.strip() else []
    for _, address in addresses:
        if "@" not in address:
            raise ImproperlyConfigured(f"{name} must list e-mail addresses, got {value!r}")
    return addresses


DEFAULT_SECRET_KEY = "insecure-dev-key-change-me-in-production"
SECRET_KEY = envstr("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = envbool("DEBUG", True)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value when DEBUG=0.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # the built-in widget templates, for FORM_RENDERER
    "django.contrib.postgres",  # search lookups (trigram_similar); inert on SQLite
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "structures",
    "liaison",
]

# Widgets' templates are found like the pages' (templates/structures/hours/…).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Saves an unchanged session every few minutes only (SESSION_REFRESH_SECONDS).
    "structures.accounts.middleware.session_refresh_middleware",
    "django.middleware.common.CommonMiddleware",
    "structures.request_params.request_params_middleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "structures.accounts.middleware.ActiveAccountsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After a change to the directory, asks the task workers for new editions of the PDFs.
    "liaison.booklet.middleware.EditionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the French lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "repertoire.urls"
WSGI_APPLICATION = "repertoire.wsgi.application"

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
                "structures.directory.context_processors.directory",
                "liaison.parcours.context_processors.parcours",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer and many readers at once: readers do not wait for the writer (WAL
    # journal); a write transaction takes the lock when it begins (IMMEDIATE), and waits
    # up to SQLITE_TIMEOUT_SECONDS for another writer to finish before « database is
    # locked ».
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("SQLITE_TIMEOUT_SECONDS", 20, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
# A territory's directory is a few megabytes, held in the server's memory: reading a row
# by its index costs little more than reading the next one, and the planner, told so,
# looks the fiches of a theme up by index instead of scanning them all (PostgreSQL's
# advice for cached data and SSDs: 1.1; its default, 4, is for spinning disks). Empty:
# the server's own setting (a pooler such as PgBouncer may refuse connection options).
PG_RANDOM_PAGE_COST = envstr("PG_RANDOM_PAGE_COST", "1.1")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and PG_RANDOM_PAGE_COST:
    # Beside the options of DATABASE_URL (?sslmode=require…), not instead of them.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    setting = f"-c random_page_cost={float(PG_RANDOM_PAGE_COST)}"
    options["options"] = f"{options['options']} {setting}" if options.get("options") else setting
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "structures.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username or address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "structures.accounts.backends.UsernameOrEmailBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "structures:home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# The site is in French; the catalogues translate the fiche parcours' labels into the
# person's language (liaison/parcours/handout.py), one django.po per language.
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Imports waiting to be simulated or applied (structures/data/jobs.py): private files.
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Background work (booklets, big imports): Django's tasks API (django-tasks, the backport
# of Django 6's django.tasks) with a queue in the database, run by `manage.py db_worker`
# processes on any number of machines. Tests run tasks immediately (tests/conftest.py).
# structures/background/ adds what the queue lacks: one holder per job across servers,
# progress, and process pools with a time limit (see its docstrings).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A worker that shows no sign of life for this long is taken for dead: another takes over.
JOB_LEASE_SECONDS = envint("JOB_LEASE_SECONDS", 60, minimum=2)
# The editions of the paper directory: render processes per task worker (0: one per core),
# the longest a render may take, and the delay that gathers several changes into one build.
BOOKLET_RENDER_WORKERS = envint("BOOKLET_RENDER_WORKERS", 0, minimum=0)
BOOKLET_TIME_LIMIT_SECONDS = envint("BOOKLET_TIME_LIMIT_SECONDS", 15 * 60, minimum=1)
BOOKLET_BUILD_DELAY_SECONDS = envint("BOOKLET_BUILD_DELAY_SECONDS", 10, minimum=0)

# Fiches not reviewed for this many months are flagged as stale.
STALE_AFTER_MONTHS = envint("STALE_AFTER_MONTHS", 6)

# The anonymous usage counts (and the counts of printed documents) older than this many
# months are deleted by `manage.py usage_daily`.
USAGE_RETENTION_MONTHS = envint("USAGE_RETENTION_MONTHS", 36, minimum=1)

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Sessions: 8 hours without activity log the person out (a request restarts the clock,
# to within SESSION_REFRESH_SECONDS: the session is written again at most that often,
# structures/accounts/middleware.py), and closing the browser ends the session (shared
# computers).
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_REFRESH_SECONDS = envint("SESSION_REFRESH_SECONDS", 5 * 60, minimum=0)
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Failed logins (structures/accounts/lockout.py): 5 failures of one username from one
# client address lock that pair for 15 minutes (django-axes); an attacker locks only
# himself. Across all addresses, 20 failures of one username (each address counting at
# most 5) only space its tries: 1, 2, 4… minutes, at most LOGIN_DELAY_MAX_MINUTES.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "structures.accounts.backends.lockout_username"
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_LOCKOUT_CALLABLE = "structures.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# A try refused during a lock does not restart the 15 minutes.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "structures.accounts.backends.client_ip"
LOGIN_USERNAME_FAILURE_LIMIT = envint("LOGIN_USERNAME_FAILURE_LIMIT", 20, minimum=1)
LOGIN_DELAY_MAX_MINUTES = envint("LOGIN_DELAY_MAX_MINUTES", 10, minimum=1)
# Password-reset e-mails: at most this many per account and per client address per hour.
PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR = envint("PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR", 3, minimum=1)
PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = envint("PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", 10, minimum=1)
# The cache (the counters above) lives in the database, shared by every worker and server;
# its table is created by migrate (structures/migrations/0012_cache_table.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "repertoire_cache",
    }
}
# Behind one reverse proxy (nginx), the client address is the last X-Forwarded-For entry.
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# HTTPS: on by default in production (DEBUG=0), each switchable by its variable.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

# Content-Security-Policy: only the site's own files, no inline script anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# E-mail: printed on the console unless an SMTP server is configured.
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Répertoire <repertoire@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who receives the traceback of every server error by e-mail (production only).
ADMINS = envaddresses("ADMINS")

# Logs go to standard error, which gunicorn and systemd keep (journalctl -u …): every
# server error with its traceback, and warnings such as a PDF fetch refused.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stderr"], "level": envstr("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": ["stderr", "mail_admins"], "level": "INFO", "propagate": False},
        "django.server": {"level": "INFO"},
    },
}

# The address of the site, for links in e-mails sent outside a request (remind_stale).
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
