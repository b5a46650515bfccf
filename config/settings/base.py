"""Settings shared by every environment; each value that differs comes from the environment."""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env, env_bool, env_list, mailer_from_url
from tenancy.error_reporting import init_error_reporting

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env("SECRET_KEY", required=True)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Only the scripts in bench/ turn this on: it opens the floor page (tenancy.views.bench_floor).
BENCH_FLOOR = env_bool("BENCH_FLOOR", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "tenancy",
    "programmes",
    "resources",
    "cohorts",
    "modules",
    "assessments",
    "reminders",
    "gdpr",
]

MIDDLEWARE = [
    "tenancy.middleware.RequestIdMiddleware",
    "tenancy.middleware.QueueTimeoutMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tenancy.sessions.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tenancy.sessions.SignInAgainMiddleware",
    "tenancy.middleware.NetworkMiddleware",
    "tenancy.middleware.LanguageMiddleware",
    "tenancy.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "config.urls"
# A refused form (CSRF) gets a page in Bro's layout and the person's language.
CSRF_FAILURE_VIEW = "tenancy.errors.csrf_failure"
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
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenancy.context_processors.navigation",
                "tenancy.sessions.unsent_form",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", required=True), conn_max_age=60, conn_health_checks=True
    )
}
# PostgreSQL cancels a statement running longer than this (e.g. "15s"); config/wsgi.py sets it
# for the web process only.
if env("DATABASE_STATEMENT_TIMEOUT") and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={env('DATABASE_STATEMENT_TIMEOUT')}")
# PostgreSQL: parameters bound by the server, and a statement run five times on a connection
# prepared there, so its plan is not made again on every request (the per-request look-ups'
# planning cost more than running them: README "How fast").
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Seconds a request may have waited in the proxy's queue (X-Request-Start) before Bro answers
# 503 instead of working on it; 0 turns it off (tenancy.middleware.QueueTimeoutMiddleware).
REQUEST_QUEUE_TIMEOUT = float(env("REQUEST_QUEUE_TIMEOUT", "30"))

# Database sessions, read a little faster (tenancy/session_store.py).
SESSION_ENGINE = "tenancy.session_store"
AUTH_USER_MODEL = "tenancy.Person"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_request_login_code"
# Sessions (tenancy/sessions.py, README "Sessions"): network admins and platform staff are
# signed out after 30 idle minutes and 12 hours at most, everyone else after 8 idle hours and
# 14 days at most. The last-seen stamp is renewed at most every SESSION_TOUCH_SECONDS.
SESSION_IDLE_MINUTES_ADMINS = int(env("SESSION_IDLE_MINUTES_ADMINS", "30"))
SESSION_MAX_HOURS_ADMINS = int(env("SESSION_MAX_HOURS_ADMINS", "12"))
SESSION_IDLE_MINUTES = int(env("SESSION_IDLE_MINUTES", str(8 * 60)))
SESSION_MAX_HOURS = int(env("SESSION_MAX_HOURS", str(14 * 24)))
SESSION_TOUCH_SECONDS = int(env("SESSION_TOUCH_SECONDS", "300"))
SESSION_COOKIE_AGE = max(SESSION_MAX_HOURS, SESSION_MAX_HOURS_ADMINS) * 3600
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sign-in: email with a one-time code by default, a password only for those who set one.
ACCOUNT_ADAPTER = "tenancy.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "tenancy.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
# Signup is closed (tenancy.adapters); "password1" only keeps the password field on the login form.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_FORMS = {"request_login_code": "tenancy.forms.RequestLoginCodeForm"}
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Bro: "
# allauth's rate limits count in the cache below (README, "Sign-in"). Per email address and
# per account they stay at allauth's defaults: 3 code requests a minute, 3 tries per code, 5
# failed passwords in 5 minutes. Per IP address they allow a gathering, where ~300 leaders sign
# in within minutes behind one venue address. No email goes to an address without an account,
# so asking for codes for many addresses sends nothing (a limit per IP address alone would not
# stop that from many addresses).
ACCOUNT_RATE_LIMITS = {
    "request_login_code": "600/10m/ip,3/m/key",
    "login": "300/m/ip",
    "login_failed": "60/m/ip,5/300s/key",
}
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Behind a reverse proxy every request comes from the proxy's address: the rate limits must
# count the client's. TRUSTED_PROXY_COUNT proxies of one's own each append to X-Forwarded-For
# (the client is the entry that many from its end); or a proxy sets TRUSTED_CLIENT_IP_HEADER.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Bro"
MFA_ADAPTER = "tenancy.adapters.MFAAdapter"
MFA_FORMS = {"activate_totp": "tenancy.forms.ActivateTOTPForm"}
# An Entra ID email never signs into or connects to an existing account by itself.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_STORE_TOKENS = False

LANGUAGE_CODE = "en"
# Nynorsk (nn) sits next to Bokmål: municipalities in Vestland and Møre og Romsdal write it.
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("da", _("Danish")),
             ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.StaticFilesWithURLsKept"},
}

REDIS_URL = env("REDIS_URL")
# While Redis is down the cache answers from each process's memory (config/cache.py), so
# sign-in's rate limits keep counting and no page fails; a Redis that does not answer within a
# second counts as down.
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "config.cache.RedisCacheWithFallback",
                          "LOCATION": REDIS_URL, "KEY_PREFIX": "bro",
                          "OPTIONS": REDIS_CACHE_OPTIONS}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

MAILERS = {"default": mailer_from_url(env("EMAIL_URL", "console://"))}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Bro <bro@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# A strict Content-Security-Policy: everything from Bro itself, no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF, "https://login.microsoftonline.com"],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Every line carries the request id or task id and the network, never a person (tenancy/logs.py);
# production writes JSON lines (settings/production.py), a laptop readable ones.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "tenancy.logs.ContextFilter"}},
    "formatters": {"json": {"()": "tenancy.logs.JSONFormatter"},
                   "text": {"()": "tenancy.logs.TextFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["context"],
                             "formatter": "text"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# Errors go to a Sentry-compatible service only when SENTRY_DSN is set, without personal data
# (tenancy/error_reporting.py).
init_error_reporting(env("SENTRY_DSN", ""))
