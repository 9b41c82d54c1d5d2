"""Settings for {{ cookiecutter.project_name }}, read from the environment.

Every variable is listed with its default in .env.example. A .env file next to
manage.py is read first; variables already in the environment win over it.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from accounts import frontend_urls
from config.environment import Env
from config.mailers import mailer_from_url

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()
env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

if not DEBUG and not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is empty and DEBUG is off. Set SECRET_KEY to a long random value, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is empty and DEBUG is off. Set it to the site's host names, "
        "comma-separated, e.g. ALLOWED_HOSTS={{ cookiecutter.domain_name }}."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
{%- if cookiecutter.social_login %}
    "allauth.socialaccount",
{%- endif %}
{%- if cookiecutter.mfa != "none" %}
    "allauth.mfa",
{%- endif %}
    "allauth.headless",
    "allauth.usersessions",
    "accounts",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "api.middleware.JSONBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Shared by every worker and host: cache, allauth's rate limits, sessions.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

EMAIL_URL = env.str("EMAIL_URL", default="")
MAILERS = {"default": mailer_from_url(EMAIL_URL) if EMAIL_URL else {"BACKEND": "config.mailers.ReadableConsoleBackend"}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="{{ cookiecutter.project_name }} <noreply@{{ cookiecutter.domain_name }}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SITE_NAME = "{{ cookiecutter.project_name }}"
ADMIN_URL = env.str("ADMIN_URL", default="admin/")
CSRF_FAILURE_VIEW = "api.views.csrf_failure"

# django-allauth: the headless API for the browser and app clients.
HEADLESS_ONLY = env.bool("HEADLESS_ONLY", default={{ cookiecutter.headless_only }})
HEADLESS_ADAPTER = "accounts.adapters.HeadlessAdapter"
HEADLESS_SERVE_SPECIFICATION = True
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
{%- if cookiecutter.login_method == "email" %}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
{%- else %}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*"]
{%- endif %}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
{%- if cookiecutter.mfa != "none" %}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
{%- endif %}

# Links in the mails point at the frontend; accounts/frontend_urls.py has the rules.
{%- if cookiecutter.social_login %}
frontend_url_settings = frontend_urls.ACCOUNT_URLS + frontend_urls.SOCIAL_URLS
{%- else %}
frontend_url_settings = frontend_urls.ACCOUNT_URLS
{%- endif %}
FRONTEND_URLS = {url.setting: env.str(url.setting, default="") or None for url in frontend_url_settings}
if problems := frontend_urls.find_problems(FRONTEND_URLS, required=HEADLESS_ONLY, allow_http=DEBUG):
    raise ImproperlyConfigured(
        "Fix these frontend URL settings in the environment or .env:\n"
        + "\n".join(f"- {problem}" for problem in problems)
    )
