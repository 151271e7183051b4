"""Settings shared by every environment.

Safe defaults only: DEBUG is off, there is no secret key here, and no host is allowed
unless an environment module or the environment itself says so.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
NODE_MODULES = BASE_DIR / "node_modules"


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production and is not set. "
            "See README.md, section 'Deploying'."
        )
    return value


# openpyxl parses uploaded workbooks with lxml whenever lxml is installed (htmldate brings it), and
# then defusedxml no longer guards it against entity bombs. Keep openpyxl on the standard library's
# parser, which defusedxml hardens; set before anything imports openpyxl (spreadsheets.checks verifies).
os.environ.setdefault("OPENPYXL_LXML", "False")

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "prcouncil.apps.CouncilAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "import_export",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "persian",
    "fileformats",
    "agencies",
    "plans",
    "evaluations",
    "reporting",
    "spreadsheets",
    "monitoring",
    "django_tasks_db",
    "notifications",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "publishing",
    "prcouncil.apps.SiteConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "prcouncil.middleware.UploadNamesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "prcouncil.middleware.PersianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Headers only; above the body limit so that its 413 page gets them (and a nonce) too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "prcouncil.middleware.PrivateCacheMiddleware",
    # Nothing above reads the request body: the limit is checked before anything below parses it
    # (RejectNullBytesMiddleware reads request.POST; the CSRF check and the views come later still).
    "prcouncil.middleware.RequestBodyLimitMiddleware",
    "prcouncil.middleware.RejectNullBytesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "prcouncil.middleware.ForbiddenLogMiddleware",
    # Last: turns a lockout found during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "prcouncil.urls"
WSGI_APPLICATION = "prcouncil.wsgi.application"
ASGI_APPLICATION = "prcouncil.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agencies.context_processors.membership",
                "reporting.context_processors.reporting_nav",
                "prcouncil.context_processors.site_nav",
                "notifications.context_processors.bell",
            ],
            "builtins": ["persian.templatetags.persian"],
        },
    },
]

# Database: SQLite needs no set-up; PostgreSQL comes through DATABASE_URL.
# SQLite starts every transaction as IMMEDIATE so concurrent writers queue on the
# busy timeout instead of failing with "database is locked" half-way through.
# prcouncil.sqlite switches the file to WAL once (see its docstring).
SQLITE_ENGINE = "prcouncil.sqlite"
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}


def database_from_url(url):
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["ENGINE"] = SQLITE_ENGINE
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
        config["CONN_MAX_AGE"] = 0
    return config


DATABASE_URL = env("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": SQLITE_ENGINE,
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username + address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Apply to passwords set through forms and createsuperuser/changepassword (not to the demo seeding).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Sessions: a working day, and never past closing the browser (docs/security.md).
SESSION_COOKIE_AGE = int(env("PRCOUNCIL_SESSION_HOURS", "8")) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("PRCOUNCIL_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Login protection (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from
# one address, that username is refused from that address for the cool-off, whatever the password.
# Never by address alone: a whole office shares one address. /accounts/login/ and /admin/login/
# both authenticate through the backends above, so both are covered. The director-general
# unlocks a person in the admin (People › Unlock login, or Axes › Access attempts).
AXES_FAILURE_LIMIT = int(env("PRCOUNCIL_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env("PRCOUNCIL_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "prcouncil.security.lockout_response"  # the Persian page, status 429
AXES_CLIENT_IP_CALLABLE = "prcouncil.security.client_ip"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False  # prcouncil.security logs each event, with the username (axes masks it)
# Behind a reverse proxy: how many proxies append to X-Forwarded-For in front of the app (nginx
# alone: 1). 0 (the default) trusts no header and uses the connection's address (REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(env("PRCOUNCIL_TRUSTED_PROXY_COUNT", "0"))

# Language and time: Persian first, English available.
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

# Static files: our own under static/, front-end packages straight from node_modules
# (installed from package-lock.json, never committed), served by WhiteNoise.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/vazirmatn", NODE_MODULES / "vazirmatn" / "fonts" / "webfonts"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/jalalidatepicker", NODE_MODULES / "@majidh1" / "jalalidatepicker" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploaded evidence never lives under a URL: it is read back only through a view
# that asks the permission rules first.
PRIVATE_MEDIA_ROOT = Path(env("PRCOUNCIL_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))

# Officer reporting: the largest evidence file accepted (bytes) and how many files one report may carry.
EVIDENCE_MAX_BYTES = int(env("PRCOUNCIL_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
EVIDENCE_MAX_FILES = 10

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# django-import-export: importing needs the "change" permission, exporting "view",
# and the rules backend grants those to the director-general only.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Request bodies: refused with 413 from Content-Length before anything parses them
# (prcouncil.middleware.RequestBodyLimitMiddleware). Anonymous requests only ever log in or switch
# the language; evidence and spreadsheet uploads get their documented file sizes plus room for
# the form (FORM_ROOM); every other request is a form. The reverse proxy should refuse earlier
# still (nginx: client_max_body_size, README "Deploying").
REQUEST_BODY_FORM_ROOM = 1024 * 1024
REQUEST_BODY_MAX_BYTES = {
    "anonymous": 64 * 1024,
    "form": int(env("PRCOUNCIL_FORM_MAX_BYTES", str(1024 * 1024))),
}

# Progress spreadsheets: upload limits checked before any parser runs (fileformats/uploads.py
# has the defaults; override fields here, e.g. {"max_rows": 5000}).
SPREADSHEET_UPLOAD_LIMITS = {}
# The progress workbook on the web: with more milestone rows than this, the worker writes it (a job page
# shows the rows written and then offers the file) instead of the request (gunicorn's 30 s timeout).
PROGRESS_EXPORT_BACKGROUND_ROWS = int(env("PRCOUNCIL_EXPORT_BACKGROUND_ROWS", "5000"))

# Content Security Policy: nothing inline runs, nothing loads from another host.
# style-src-attr allows style="" attributes only (progress-bar widths); <style> blocks stay refused.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The language switch's cookie: no script reads it, and it is sent only on same-site navigation.
# (Secure in production, with the session and CSRF cookies.)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Quarterly evaluation: the defaults a new round starts with (each round keeps its own copy,
# editable in the admin). The execution score's share of the final score, in percent, and the
# lowest final score of each tier (a cut-off belongs to the tier it opens).
EVALUATION_EXECUTION_WEIGHT = int(env("EVALUATION_EXECUTION_WEIGHT", "30"))
EVALUATION_TIER_CUTOFFS = {"excellent": 85, "active": 70, "semi_active": 50}

# Website monitoring (docs/monitoring.md). The checker fetches addresses that people typed, so it
# refuses loopback, link-local, private and reserved addresses unless a network is listed here
# (decided after DNS resolution, on the address actually connected to).
MONITORING_ALLOWED_NETWORKS = env_list("MONITORING_ALLOWED_NETWORKS")
MONITORING_CONNECT_TIMEOUT = 5.0  # seconds
MONITORING_READ_TIMEOUT = 10.0  # seconds without a byte
MONITORING_RESPONSE_TIMEOUT = 20.0  # seconds for one whole response
MONITORING_MAX_BYTES = 2 * 1024 * 1024
MONITORING_MAX_REDIRECTS = 5
MONITORING_RUN_BUDGET = int(env("MONITORING_RUN_BUDGET", "1800"))  # seconds for the whole run
MONITORING_WORKERS = 4  # sites checked at once (still one request at a time per host)
MONITORING_USER_AGENT = "prcouncil-website-check/1.0 (the provincial PR council's website freshness check)"
MONITORING_CA_BUNDLE = env("MONITORING_CA_BUNDLE", "")  # an extra CA file to trust (e.g. the intranet's)
MONITORING_STALE_DAYS = int(env("MONITORING_STALE_DAYS", "30"))  # a site not updated for longer is stale

# Demo data may be loaded only where an environment module allows it (never in production).
DEMO_SEED_ALLOWED = False
DEMO_PASSWORD = env("DEMO_PASSWORD", "")

# --- background work, reminders and notifications (issue 12; docs/reminders.md) ---------------
# Tasks (<app>/tasks.py) go to the database and `manage.py db_worker` runs them; tests run them at once.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Daily jobs for the worker at local (Asia/Tehran) time, enqueued once a day each by `manage.py run_scheduler`.
PERIODIC_TASKS = {
    "website_checks": {"task": "monitoring.tasks.daily_website_checks", "at": "02:30"},
    # After the night's website checks, before the working day starts.
    "reminders": {"task": "notifications.tasks.send_daily_reminders", "at": env("REMINDERS_AT", "07:30")},
    # The dashboard trend's snapshot of a quarter that ended (plans/trend.py); a no-op on other days.
    "trend_snapshots": {"task": "plans.tasks.take_trend_snapshots", "at": "00:30"},
}
# The reminder ladder, in working days (Fridays and the holiday table are off): N before the due
# date, on the due date, then every M after it until the milestone is reported.
REMINDER_DAYS_BEFORE = int(env("REMINDER_DAYS_BEFORE", "3"))
REMINDER_EVERY_DAYS_AFTER = int(env("REMINDER_EVERY_DAYS_AFTER", "5"))
# Escalation to the director-general and the secretariat, in calendar days: milestones overdue for
# more than K days, no report for D days, reports waiting for review for more than R days.
ESCALATION_OVERDUE_DAYS = int(env("ESCALATION_OVERDUE_DAYS", "14"))
ESCALATION_SILENT_DAYS = int(env("ESCALATION_SILENT_DAYS", "30"))
ESCALATION_REVIEW_DAYS = int(env("ESCALATION_REVIEW_DAYS", "7"))
# Channels every notification goes through (in-app cannot be turned off; email can, per person).
NOTIFICATION_CHANNELS = ["notifications.channels.InAppChannel", "notifications.channels.EmailChannel"]
# A failed send is tried this many times at once, then again by a retry run later the same day.
NOTIFICATION_SEND_ATTEMPTS = 3
NOTIFICATION_RETRY_SECONDS = 2
NOTIFICATION_RETRY_RUNS = 3
NOTIFICATION_RETRY_MINUTES = 30
# Links in emails start with this address (production: https://<first allowed host> unless set).
SITE_URL = env("PRCOUNCIL_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Email (Django 6.1 mailers): SMTP from the environment in production; development writes files (settings.local).
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def mailer_from_env():
    backend = env("DJANGO_EMAIL_BACKEND", SMTP_BACKEND)
    if backend != SMTP_BACKEND:
        return {"BACKEND": backend}
    options = {
        "host": env("DJANGO_EMAIL_HOST", "localhost"),
        "port": int(env("DJANGO_EMAIL_PORT", "25")),
        "username": env("DJANGO_EMAIL_HOST_USER", ""),
        "password": env("DJANGO_EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
        "use_ssl": env_bool("DJANGO_EMAIL_USE_SSL", False),
        "timeout": 20,
    }
    return {"BACKEND": backend, "OPTIONS": options}


MAILERS = {"default": mailer_from_env()}
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "prcouncil@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    # axes masks usernames in its own lines; prcouncil.security logs the same events readably.
    # The website check makes thousands of requests a night; httpx logs each one at INFO. axes masks
    # usernames in its own lines; prcouncil.security logs the same events readably.
    "loggers": {"axes": {"level": "WARNING"}, "httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
}

# The read-only API (docs/api.md): session (the browsable API) and personal tokens; throttled per token,
# per signed-in person and per anonymous address (the login protection's TRUSTED_PROXY_COUNT); Django's
# cache holds the counters (per process with the default local-memory cache).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "api.renderers.CouncilBrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.CouncilCursorPagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.CouncilRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("PRCOUNCIL_API_RATE_ANON", "60/minute"),
        "user": env("PRCOUNCIL_API_RATE_USER", "600/minute"),
        "token": env("PRCOUNCIL_API_RATE_TOKEN", "600/minute"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "EXCEPTION_HANDLER": "api.exceptions.handler",
    "NON_FIELD_ERRORS_KEY": "non_field_errors",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "prcouncil API",
    "DESCRIPTION": "The provincial PR council's strategic plan, read-only (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Three models have a "status": each enum gets a stable name of its own.
    "ENUM_NAME_OVERRIDES": {
        "MilestoneStatusEnum": "plans.models.Status",
        "PlanStatusEnum": "plans.models.StrategicPlan.Status",
        "RoundStatusEnum": "evaluations.models.Round.Status",
    },
}
