"""DaoTao settings, read from the environment (see README "Configuration")."""

import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from daotao.lib.env import cache_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# DAOTAO_ENV=production: no debug pages, secrets and hosts from the environment (the server
# refuses to start without them), secure cookies, HSTS, static files served by whitenoise.
PRODUCTION = env_str("DAOTAO_ENV", "development").strip().lower() == "production"

DEBUG = env_bool("DAOTAO_DEBUG", default=not PRODUCTION)
if PRODUCTION:
    for required in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
        if not env_str(required).strip():
            raise RuntimeError(f"DAOTAO_ENV=production needs {required} in the environment (see docs/deploy.md).")
    if DEBUG:
        raise RuntimeError("DAOTAO_ENV=production refuses DAOTAO_DEBUG=1: debug pages show settings and data.")
# Development default only; production refuses to start without SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "daotao-development-key-not-for-production")
# Earlier keys, while what they signed or sealed is still in use (sessions, the anonymous
# evaluation forms waiting in their pool: docs/deploy.md).
SECRET_KEY_FALLBACKS = env_list("DAOTAO_SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "daotao.school",
    "daotao.accounts",
    "daotao.org",
    "daotao.people",
    "daotao.programs",
    "daotao.planning",
    "daotao.cohorts",
    "daotao.admissions",
    "daotao.teaching",
    "daotao.grading",
    "daotao.essays",
    "daotao.workload",
    "daotao.finance",
    "daotao.exams",
    "daotao.alerts",
    "daotao.surveys",
    "daotao.twoway",
    "daotao.national",
    "daotao.records",
    "daotao.academy",
    "daotao.onboarding",
    "daotao.dashboards",
    "daotao.audit",
    "daotao.reports",
    "daotao.portal",
    "daotao.api",
    "daotao.merging",
    "daotao.web",
    "daotao.demo",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "daotao.web.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "daotao.web.middleware.RequestSizeMiddleware",
    "daotao.web.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Responses with personal data are never kept by a browser or proxy cache.
    "daotao.web.middleware.PrivateCacheMiddleware",
    "daotao.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: answers a locked-out sign-in with its page.
    "axes.middleware.AxesMiddleware",
]
if PRODUCTION:
    # Static files from the app servers themselves, compressed and cached forever by name
    # (in development runserver serves them).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "daotao.urls"
WSGI_APPLICATION = "daotao.wsgi.application"

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
                "daotao.school.context_processors.school",
                "daotao.accounts.context_processors.scope",
                "daotao.dashboards.menu.menu",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------
# DATABASE_URL selects the database: sqlite:////abs/path/db.sqlite3 or postgres://...
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        # A kept connection the server has closed meanwhile is noticed before it is used.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE transactions take the write lock
    # at BEGIN so concurrent writers wait (busy timeout) instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file too (not the in-memory default): concurrent writers then wait on
    # the busy timeout as in production, where in-memory shared cache fails at once.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", env_str("DAOTAO_TEST_DB") or str(Path(tempfile.gettempdir()) / f"daotao-test-{os.getpid()}.sqlite3")
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query whose estimated cost is high, which costs 0,1 to
    # 1,5 s on the yearly report of a large province and seconds on the board, for queries
    # that run in tens of milliseconds without it (docs/performance.md).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = (options.get("options", "") + " -c jit=off").strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE_URL selects the cache: the database cache by default (nothing else to run),
# redis://127.0.0.1:6379/0 when several app servers share it (the portal's daily salt, rate limits).
CACHES = {"default": cache_from_url(env_str("CACHE_URL") or "db://daotao_cache")}
# Keeps several DaoTao sites (or test runs) apart on one shared cache server.
CACHES["default"]["KEY_PREFIX"] = env_str("DAOTAO_CACHE_PREFIX")

SESSION_ENGINE = "daotao.web.sessions"
# A form sent with a missing or stale CSRF token: a Vietnamese page (JSON under /api/).
CSRF_FAILURE_VIEW = "daotao.web.errors.csrf_failure"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's, with its message in Vietnamese (Django's own catalogue lacks it since 5.2).
    {"NAME": "daotao.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Repeated failed sign-ins make a username wait at that address, and an address that fails
# too often wait whatever the usernames; each further failure doubles the wait (django-axes
# records every attempt, shown in the admin; daotao/accounts/lockout.py decides).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failures of one username from one address before it waits; the first wait, doubled with
# each further failure up to the longest; failures are forgotten this long after the last
# one (and at a successful sign-in).
DAOTAO_SIGN_IN_ATTEMPTS = env_int("DAOTAO_SIGN_IN_ATTEMPTS", 5)
DAOTAO_LOCKOUT_MINUTES = env_int("DAOTAO_LOCKOUT_MINUTES", 1)
DAOTAO_LOCKOUT_MAX_MINUTES = env_int("DAOTAO_LOCKOUT_MAX_MINUTES", 60)
DAOTAO_SIGN_IN_MEMORY_HOURS = env_int("DAOTAO_SIGN_IN_MEMORY_HOURS", 24)
# Failures from one address within an hour, whatever the usernames, before it waits (the
# same doubling waits): guessing across many accounts.
DAOTAO_ADDRESS_SIGN_IN_ATTEMPTS = env_int("DAOTAO_ADDRESS_SIGN_IN_ATTEMPTS", 50)
AXES_HANDLER = "daotao.accounts.lockout.SignInHandler"
AXES_FAILURE_LIMIT = "daotao.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "daotao.accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A sign-in refused during a wait is not a failure: it neither counts nor lengthens the wait.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# One row per failure, with its time and address: the address's count.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "daotao.accounts.lockout.locked_out"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- language, time, formats (DESIGN.md section 5) --------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["daotao.formats"]
# Grouping is applied explicitly (|vn_int, lib.vietnamese) so that years stay "2020".
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DAOTAO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # In production `collectstatic` writes hashed, compressed copies that whitenoise serves.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DAOTAO_MEDIA_ROOT") or BASE_DIR / "media")

# --- backups (daotao/web/backup.py, docs/deploy.md section 7) -----------------------
# The key that signs each backup and that a restore checks: from the environment only,
# never in the database or the archive. Without it `backup` refuses to run.
DAOTAO_BACKUP_KEY = env_str("DAOTAO_BACKUP_KEY")

# --- the national roll-up (docs/figures-format.md, README "The Academy installation") ---
# The school's private Ed25519 key that signs its figures packages (a PEM file made by
# ``manage.py figures_key``); the Academy checks them with the public key registered there.
DAOTAO_FIGURES_KEY_FILE = env_str("DAOTAO_FIGURES_KEY_FILE")
# "school" (the default) or "academy": an installation of the national Academy, which
# imports the schools' figures packages and shows the national dashboard.
DAOTAO_ROLE = env_str("DAOTAO_ROLE", "school").strip().lower() or "school"
if DAOTAO_ROLE not in {"school", "academy"}:
    raise ValueError(f"DAOTAO_ROLE must be school or academy, not {DAOTAO_ROLE!r}")

# "Quên mật khẩu?": links sent to one address, and requests from one client, in an hour.
DAOTAO_RESET_EMAILS_PER_ADDRESS = env_int("DAOTAO_RESET_EMAILS_PER_ADDRESS", 3)
DAOTAO_RESET_REQUESTS_PER_CLIENT = env_int("DAOTAO_RESET_REQUESTS_PER_CLIENT", 20)

# --- the school's identity ------------------------------------------------------------
# Its name, Party committee, logo and signers are records (``manage.py setup_school``, the
# set-up page), read through ``daotao.school.identity``. A process reads them again after
# this many seconds, so that a change made in another process shows within that time.
DAOTAO_IDENTITY_TTL = env_int("DAOTAO_IDENTITY_TTL", 60)

# Count article views and portal visits (off only to measure what counting costs).
DAOTAO_PORTAL_COUNTING = env_bool("DAOTAO_PORTAL_COUNTING", default=True)

# --- email (survey invitations, reminders, results packs) ---------------------------
# With EMAIL_HOST set, mail goes out by SMTP; otherwise it is written to files under
# DAOTAO_MAIL_DIR (var/mail by default) so that the demo never sends real mail.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env_str("DAOTAO_MAIL_DIR") or str(BASE_DIR / "var" / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "DaoTao <daotao@localhost>")
# The address at which people open the links in emails (survey invitations), and that a
# credential's QR code leads to when it is printed without a request (a command).
DAOTAO_SITE_URL = env_str("DAOTAO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The public check of a credential by its code (/xac-minh/, GET /api/v1/verify/{code}):
# look-ups from one client (address, or IPv6 /64) in a minute, valid codes or not; beyond, 429.
DAOTAO_VERIFY_PER_MINUTE = env_int("DAOTAO_VERIFY_PER_MINUTE", 30)

# The reverse proxies whose X-Forwarded-For names the visitor (comma-separated addresses).
DAOTAO_TRUSTED_PROXIES = env_list("DAOTAO_TRUSTED_PROXIES", [])

# --- uploads (daotao/web/uploads.py): the largest file accepted, in bytes, per kind ---
# xlsx imports (classes, nominations, quotas, grade sheets, career events).
DAOTAO_MAX_IMPORT_BYTES = env_int("DAOTAO_MAX_IMPORT_BYTES", 10 * 1024 * 1024)
# A school's figures package imported at the Academy (manage.py import_figures).
DAOTAO_MAX_FIGURES_BYTES = env_int("DAOTAO_MAX_FIGURES_BYTES", 20 * 1024 * 1024)
# Scans of an applicant's dossier documents (PDF or image).
DAOTAO_MAX_DOCUMENT_BYTES = env_int("DAOTAO_MAX_DOCUMENT_BYTES", 10 * 1024 * 1024)
# Essay files and field-trip reports (PDF, Word, OpenDocument).
DAOTAO_MAX_ESSAY_BYTES = env_int("DAOTAO_MAX_ESSAY_BYTES", 20 * 1024 * 1024)
DAOTAO_MAX_REPORT_BYTES = env_int("DAOTAO_MAX_REPORT_BYTES", 20 * 1024 * 1024)
# The portal's article and banner images.
DAOTAO_MAX_IMAGE_BYTES = env_int("DAOTAO_MAX_IMAGE_BYTES", 5 * 1024 * 1024)
# A whole request body: above the largest file limit plus the form around it. Larger
# requests are refused with 413 before anything is read (the reverse proxy's
# client_max_body_size should match, docs/deploy.md).
DAOTAO_MAX_REQUEST_BYTES = env_int("DAOTAO_MAX_REQUEST_BYTES", 25 * 1024 * 1024)
# Django's defaults, stated: form fields other than files may take 2.5 MB (a pasted essay
# of 400.000 characters fits); an uploaded file above 2.5 MB is streamed to a temporary
# file rather than held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- workbook imports: what a file may hold, and the background jobs -----------------
# Checked while the file is read (daotao/cohorts/importing/reading.py; docs/security.md),
# so a file built to exhaust the server is refused in seconds with a message saying why.
# A class list has a few hundred rows and a province's nominations for a year a few
# thousand (the benchmark imports 10.000): at most 20.000 rows of data. The widest format
# (nominations) has 26 columns: at most 60. The longest text kept from a cell is a note of
# 2.000 characters (a page of text); every other field stored from a cell is shorter.
DAOTAO_MAX_IMPORT_ROWS = env_int("DAOTAO_MAX_IMPORT_ROWS", 20_000)
DAOTAO_MAX_IMPORT_COLUMNS = env_int("DAOTAO_MAX_IMPORT_COLUMNS", 60)
DAOTAO_MAX_IMPORT_CELL_CHARS = env_int("DAOTAO_MAX_IMPORT_CELL_CHARS", 2_000)
# The parts of the workbook once unzipped: 20.000 rows of 60 columns as openpyxl writes them
# (text in each cell, character references for every accented letter) are some 80 MB of
# XML. The shared strings (the workbook's distinct texts) are held in memory while a sheet
# is read: a 20.000-row list's take 2 to 5 MB.
DAOTAO_MAX_IMPORT_XML_BYTES = env_int("DAOTAO_MAX_IMPORT_XML_BYTES", 100 * 1024 * 1024)
DAOTAO_MAX_IMPORT_STRINGS_BYTES = env_int("DAOTAO_MAX_IMPORT_STRINGS_BYTES", 16 * 1024 * 1024)
# Imports run as background jobs (daotao/web/jobs.py). The uploaded file waits in this one
# directory of temporary uploads, as does any upload over 2,5 MB while its request reads it;
# files older than the stale limit there are what a killed worker left, and are swept (when
# a job starts, and by `manage.py sweep_uploads`). A job whose heartbeat is older than the
# stale limit reads as failed. At most DAOTAO_IMPORT_WORKERS imports run at once per server
# process; DAOTAO_IMPORT_INLINE runs them in the request (the tests).
DAOTAO_UPLOAD_TEMP_DIR = Path(env_str("DAOTAO_UPLOAD_TEMP_DIR") or BASE_DIR / "var" / "uploads")
FILE_UPLOAD_TEMP_DIR = str(DAOTAO_UPLOAD_TEMP_DIR)
DAOTAO_IMPORT_STALE_SECONDS = env_int("DAOTAO_IMPORT_STALE_SECONDS", 300)
DAOTAO_IMPORT_WORKERS = env_int("DAOTAO_IMPORT_WORKERS", 2)
DAOTAO_IMPORT_INLINE = env_bool("DAOTAO_IMPORT_INLINE", default=False)

# --- Content-Security-Policy (django-csp), in every environment -------------------
# Scripts, styles, fonts and images only from the site itself (images also as data: URLs),
# so no inline <script>, event handler (onclick=…) or style attribute runs: behaviour lives
# in static/**/*.js, looks in the stylesheets. No plugins, no <base> elsewhere, forms post
# only here, and no other site may frame a page. Tests: daotao/web/tests/test_csp*.py.
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DAOTAO_LOG_LEVEL", "WARNING")},
}

# --- production hardening (DAOTAO_ENV=production; `manage.py check --deploy` passes) ---
if PRODUCTION:
    # Behind the reverse proxy, which terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DAOTAO_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("DAOTAO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DAOTAO_HSTS_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("DAOTAO_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"https://{host}" for host in ALLOWED_HOSTS])
    X_FRAME_OPTIONS = "DENY"
    SECURE_REFERRER_POLICY = "same-origin"
    LOGGING["root"]["level"] = env_str("DAOTAO_LOG_LEVEL", "WARNING")
