"""Settings for {{ cookiecutter.project_name }}, read from the environment.

Every variable is listed with its default in .env.example. A .env file next to
manage.py is read first; variables already in the environment win over it.
"""

from pathlib import Path
from types import SimpleNamespace

from corsheaders.defaults import default_headers
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from account_data import grace_period
from accounts import frontend_urls{% if cookiecutter.mfa == "totp and passkeys" %}, passkeys{% endif %}{% if cookiecutter.social_login %}, social_providers{% endif %}
from accounts.token_strategies import TOKEN_STRATEGIES
from config import checks, logs
from config.environment import Env
from config.mailers import OUTGOING_MAILER, mailer_from_url
from core.validation import origins_of, report
from security_events import retention

BASE_DIR = Path(__file__).resolve().parent.parent

# What cannot be read is noted in env.problems and reported at the end, with every other problem.
env = Env()
env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    # Django's admin, signing staff in through the site's own login (accounts/admin_site.py).
    "accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "ninja",
    "allauth",
    "allauth.account",
{%- if cookiecutter.social_login %}
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.openid_connect",
{%- endif %}
{%- if cookiecutter.mfa != "none" %}
    "allauth.mfa",
{%- endif %}
{%- if cookiecutter.identity_provider %}
    "allauth.idp.oidc",
{%- endif %}
    "allauth.headless",
    "allauth.usersessions",
    "django_tasks_db",
    "core",
    "mail",
    "accounts",
    "security_events",
    "account_data",
    "api",
{%- if cookiecutter.demo_frontend %}
    "demo",
{%- endif %}
]

MIDDLEWARE = [
    "core.request_ids.keep_plain_request_ids",
    "log_request_id.middleware.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.headless.request_bodies.JSONBodyMiddleware",
{%- if cookiecutter.mfa == "totp and passkeys" %}
    "accounts.headless.passkey_responses.PasskeyResponseMiddleware",
{%- endif %}
    "api.middleware.JSONMethodNotAllowedMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
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
                "django.template.context_processors.csp",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, with a health check that needs no round trip to the database (core/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "core.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
CACHE_URL = env.str("CACHE_URL", default="locmemcache://")  # used only without REDIS_URL
if REDIS_URL:
    # Shared by every worker and host: cache, allauth's rate limits, sessions.
    # core/cache.py: Django's Redis backend, reusing one client per connection pool.
    # A Redis that does not answer fails the request within seconds (answered 503, core/views.py), not holding it.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    # Sessions in Redis alone cost no SQL query to check or save; Redis must then keep its data across
    # restarts. SESSIONS_IN_DATABASE writes them to the database as well (about 7 more queries a login).
    SESSION_ENGINE = (
        "django.contrib.sessions.backends.cached_db"
        if env.bool("SESSIONS_IN_DATABASE", default=False)
        else "core.sessions"
    )
else:
    CACHES = {"default": Env.cache_url_config(CACHE_URL)}
# on: the site runs as one process (one gunicorn worker, config/gunicorn.py holds it to that), so with DEBUG
# off a cache of that process's own is enough. Otherwise production needs a cache every process shares.
SINGLE_PROCESS = env.bool("SINGLE_PROCESS", default=False)

EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    # Mail is queued and sent by the task worker (manage.py db_worker), so a slow or failing
    # mail server neither delays nor breaks the request that sends it.
    MAILERS = {
        "default": {"BACKEND": "mail.backends.BackgroundBackend"},
        OUTGOING_MAILER: mailer_from_url(EMAIL_URL),
    }
else:
    MAILERS = {"default": {"BACKEND": "mail.backends.ReadableConsoleBackend"}}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Seconds to wait before each new attempt to send a mail; after the last, the mail is dropped and logged.
EMAIL_RETRY_DELAYS = env.list("EMAIL_RETRY_DELAYS", cast=int, default=[60, 300, 1800, 7200])
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="{{ cookiecutter.project_name }} <noreply@{{ cookiecutter.domain_name }}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_USER_MODEL = "accounts.User"
# allauth's alone, so that a failed login hashes one password, not two (accounts/auth_backends.py says more).
AUTHENTICATION_BACKENDS = ["accounts.auth_backends.AuthenticationBackend"]
# Argon2id at OWASP's recommended cost (accounts/hashers.py); PBKDF2 still verifies older hashes.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Longer passwords are refused before any hashing (accounts/headless/request_bodies.py) and by the validator below.
PASSWORD_MAX_LENGTH = 128
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": PASSWORD_MAX_LENGTH}},
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
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# HTTPS and browser protections. With DEBUG on (local development) plain http works.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe over plain http; the path ends in healthz, after any prefix (SCRIPT_NAME) the site is under.
SECURE_REDIRECT_EXEMPT = [r"(^|/)healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
# The __Host- prefix makes browsers keep the cookie to this host, over https only.
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY = {
    "camera": [],
    "geolocation": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    # Passkeys are made and used on pages of this site (the demo frontend).
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
}

# Behind a proxy (README: "Behind a proxy"). Set SECURE_PROXY_SSL_HEADER only when a proxy in front of the
# site sets that header and strips it from clients' requests, e.g. X-Forwarded-Proto.
if proxy_header := env.str("SECURE_PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_header.upper().replace("-", "_"), "https")
# allauth's per-address rate limits and the user's sessions need each client's own address, not the proxy's:
# the last TRUSTED_PROXY_COUNT entries of X-Forwarded-For, or the TRUSTED_CLIENT_IP_HEADER the proxy sets.
# core/proxies.py has the rules.
TRUSTED_PROXY_COUNT = env.str("TRUSTED_PROXY_COUNT", default="0")
TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="")
ALLAUTH_TRUSTED_PROXY_COUNT = int(TRUSTED_PROXY_COUNT) if TRUSTED_PROXY_COUNT.isdigit() else 0
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = TRUSTED_CLIENT_IP_HEADER or None

# Logs: readable lines with DEBUG on, one JSON object a line otherwise; each carries the request id, returned
# in the response: the proxy's X-Request-ID if it is a short, plain id (core/request_ids.py), or a new one.
LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
GENERATE_REQUEST_ID_IF_NOT_IN_HEADER = True
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"
LOGGING = logs.configuration(json=not DEBUG, level=env.str("LOG_LEVEL", default="INFO"))

if SENTRY_DSN := env.str("SENTRY_DSN", default=""):
    logs.start_sentry(SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default="production"))

# django-allauth: the headless API for the browser and app clients.
HEADLESS_ONLY = env.bool("HEADLESS_ONLY", default={{ cookiecutter.headless_only }})
HEADLESS_ADAPTER = "accounts.adapters.HeadlessAdapter"
HEADLESS_SERVE_SPECIFICATION = True
# Served from the site's own static files (django-ninja's Swagger UI), not from a CDN.
HEADLESS_SPECIFICATION_TEMPLATE_NAME = "headless/spec/swagger.html"
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
# A signup for a taken address costs what a new one does, so its time tells nothing: accounts/signup_timing.py.
ACCOUNT_FORMS = {"signup": "accounts.signup_timing.SignupForm"}
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Each ended session is recorded as a security event (security_events/), as are failed logins (AccountAdapter).
USERSESSIONS_ADAPTER = "accounts.adapters.UserSessionsAdapter"
# A session's address, browser and last use are those of its login. Keeping them current
# (USERSESSIONS_TRACK_ACTIVITY) would cost a query and a write on every authenticated request, and needs
# allauth's UserSessionsMiddleware, which is left out of MIDDLEWARE: without tracking it does nothing.
# Days each security event of a user is kept; `manage.py delete_expired_security_events`, run daily, deletes older ones.
SECURITY_EVENTS_RETENTION_DAYS = env.int("SECURITY_EVENTS_RETENTION_DAYS", default=retention.DEFAULT_RETENTION_DAYS)
# Days a closed account waits, cancellable from the link in its mail, before `manage.py delete_due_accounts`,
# run daily, deletes it (README: "Deleting an account").
ACCOUNT_DELETION_GRACE_DAYS = env.int("ACCOUNT_DELETION_GRACE_DAYS", default=grace_period.DEFAULT_GRACE_DAYS)
{%- if cookiecutter.mfa != "none" %}

# Second factors (allauth.mfa). The README's "Second factors" section says how to turn each on and off.
MFA_OFFERED_TYPES = ["totp", "recovery_codes"{% if cookiecutter.mfa == "totp and passkeys" %}, "webauthn"{% endif %}]
MFA_SUPPORTED_TYPES = env.list("MFA_SUPPORTED_TYPES", default=MFA_OFFERED_TYPES)
MFA_TOTP_ISSUER = SITE_NAME
MFA_TOTP_TOLERANCE = env.int("MFA_TOTP_TOLERANCE", default=0)
MFA_TRUST_ENABLED = env.bool("MFA_TRUST_ENABLED", default=False)
# allauth stores each app's secret and the recovery codes' seed; the adapter encrypts them with these Fernet
# keys, the first encrypting, each decrypting (accounts/mfa_encryption.py). Required with DEBUG on too.
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS")
# On: the admin opens only to staff with a second factor (README: "The admin"); accounts/admin_access.py has the rule.
ADMIN_REQUIRES_SECOND_FACTOR = env.bool("ADMIN_REQUIRES_SECOND_FACTOR", default=not DEBUG)
{%- endif %}
{%- if cookiecutter.mfa == "totp and passkeys" %}
MFA_PASSKEY_LOGIN_ENABLED = env.bool("MFA_PASSKEY_LOGIN_ENABLED", default=True)
MFA_PASSKEY_SIGNUP_ENABLED = env.bool("MFA_PASSKEY_SIGNUP_ENABLED", default=False)
{%- endif %}

# Codes by mail, each flow behind its switch (README: "Codes by mail"): a code to type where the flow started,
# instead of a password or a link. allauth's limits hold: 3 wrong codes end a flow, a code lasts 3 minutes
# (15 to confirm an address), and asking for codes is rate-limited.
ACCOUNT_LOGIN_BY_CODE_ENABLED = env.bool("ACCOUNT_LOGIN_BY_CODE_ENABLED", default=False)
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = env.bool("ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED", default=False)
{%- if cookiecutter.mfa == "totp and passkeys" %}
# Passkey signup needs it: allauth keeps the signup in the session, which a link opened elsewhere would not have.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = env.bool(
    "ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED", default=MFA_PASSKEY_SIGNUP_ENABLED
)
{%- else %}
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = env.bool("ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED", default=False)
{%- endif %}
# A late or lost mail need not end the flow: two new codes may be asked for, within the first one's time and attempts.
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True

# Links in the mails point at the frontend; accounts/frontend_urls.py has the rules.
frontend_url_settings = frontend_urls.ACCOUNT_URLS
{%- if cookiecutter.social_login %}
frontend_url_settings += frontend_urls.SOCIAL_URLS
{%- endif %}
FRONTEND_URLS = {url.setting: env.str(url.setting, default="") or None for url in frontend_url_settings}
# allauth links to the frontend pages it knows through HEADLESS_FRONTEND_URLS, keyed by the name of its
# own page; accounts/adapters.py fills in the URLs that allauth's mechanism cannot express.
HEADLESS_FRONTEND_URLS = frontend_urls.allauth_frontend_urls(FRONTEND_URLS)
# Where the admin{% if cookiecutter.identity_provider %} and the OpenID Connect provider{% endif %} send a signed-out user, with ?next= the page to come back to:
# the frontend's login page, or allauth's own when HEADLESS_ONLY is off and LOGIN_URL is unset.
LOGIN_URL = FRONTEND_URLS["LOGIN_URL"] or "account_login"
{%- if cookiecutter.social_login %}

# Social login (README: "Social login"). A provider is offered when its client ID is set; credentials
# come from the environment only, never the database. accounts/social_providers.py has the rules.
SOCIAL_PROVIDER_VARIABLES = {
    "GOOGLE_CLIENT_ID": env.str("GOOGLE_CLIENT_ID", default=""),
    "GOOGLE_CLIENT_SECRET": env.str("GOOGLE_CLIENT_SECRET", default=""),
    "GITHUB_CLIENT_ID": env.str("GITHUB_CLIENT_ID", default=""),
    "GITHUB_CLIENT_SECRET": env.str("GITHUB_CLIENT_SECRET", default=""),
    "OIDC_CLIENT_ID": env.str("OIDC_CLIENT_ID", default=""),
    "OIDC_CLIENT_SECRET": env.str("OIDC_CLIENT_SECRET", default=""),
    "OIDC_SERVER_URL": env.str("OIDC_SERVER_URL", default=""),
    "OIDC_PROVIDER_ID": env.str("OIDC_PROVIDER_ID", default=social_providers.DEFAULT_OIDC_PROVIDER_ID),
    "OIDC_PROVIDER_NAME": env.str("OIDC_PROVIDER_NAME", default=social_providers.DEFAULT_OIDC_PROVIDER_NAME),
}
# A verified address from Google or GitHub that belongs to an account logs in to it and connects the provider;
# one from the OpenID Connect provider only if its issuer verifies addresses. An unverified one never does
# (the user confirms it by mail first). Each app says so in SOCIALACCOUNT_PROVIDERS; other providers never do.
OIDC_EMAIL_AUTHENTICATION = env.bool("OIDC_EMAIL_AUTHENTICATION", default=False)
SOCIALACCOUNT_PROVIDERS = social_providers.allauth_providers(
    SOCIAL_PROVIDER_VARIABLES, oidc_email_authentication=OIDC_EMAIL_AUTHENTICATION
)
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
{%- endif %}
{%- if cookiecutter.mfa == "totp and passkeys" %}

# Passkeys belong to the frontend's domain, not the API's; accounts/passkeys.py has the rules.
MFA_WEBAUTHN_ALLOWED_ORIGINS = env.list("MFA_WEBAUTHN_ALLOWED_ORIGINS", default=origins_of(FRONTEND_URLS.values()))
MFA_WEBAUTHN_RP_ID = env.str("MFA_WEBAUTHN_RP_ID", default="") or passkeys.default_rp_id(MFA_WEBAUTHN_ALLOWED_ORIGINS)
{%- endif %}

# Tokens for the app client: session tokens only, or JWT access and refresh tokens as well.
APP_TOKEN_STRATEGY = env.str("APP_TOKEN_STRATEGY", default="{{ cookiecutter.app_token_strategy }}")
HEADLESS_TOKEN_STRATEGY = TOKEN_STRATEGIES.get(APP_TOKEN_STRATEGY, "")
# RS256 keys in PEM, each line break written as \n; accounts/jwt_keys.py makes and checks them.
HEADLESS_JWT_PRIVATE_KEY = env.str("HEADLESS_JWT_PRIVATE_KEY", default="", multiline=True)
JWT_PREVIOUS_PUBLIC_KEY = env.str("JWT_PREVIOUS_PUBLIC_KEY", default="", multiline=True)
HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN = env.int("HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN", default=300)
HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN = env.int("HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN", default=86400)
HEADLESS_JWT_ROTATE_REFRESH_TOKEN = True
# Each token is checked against its session, so logging out and changing the password revoke it.
HEADLESS_JWT_STATEFUL_VALIDATION_ENABLED = True
{%- if cookiecutter.identity_provider %}

# The site as an OpenID Connect provider (allauth.idp.oidc); the README's "Signing in to other sites with this one".
IDP_OIDC_ADAPTER = "accounts.identity_provider.OIDCAdapter"
# ID tokens are signed with this RSA key (PEM, each line break written as \n); /.well-known/jwks.json publishes it.
IDP_OIDC_PRIVATE_KEY = env.str("IDP_OIDC_PRIVATE_KEY", default="", multiline=True)
IDP_OIDC_AUTHORIZATION_CODE_EXPIRES_IN = env.int("IDP_OIDC_AUTHORIZATION_CODE_EXPIRES_IN", default=60)
IDP_OIDC_ID_TOKEN_EXPIRES_IN = env.int("IDP_OIDC_ID_TOKEN_EXPIRES_IN", default=300)
IDP_OIDC_ACCESS_TOKEN_EXPIRES_IN = env.int("IDP_OIDC_ACCESS_TOKEN_EXPIRES_IN", default=3600)
{%- endif %}

# Frontends on other origins (README: "Frontends on other origins"); core/cors.py has the rules.
# Unset, the origins of the frontend URLs above are allowed; empty, none is.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=origins_of(FRONTEND_URLS.values()))
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_HEADERS = (*default_headers, "x-session-token", "x-email-verification-key", "x-password-reset-key")
CORS_URLS_REGEX = r"^/(_allauth|api)/"
CSRF_TRUSTED_ORIGINS = CORS_ALLOWED_ORIGINS
# For a frontend on a sibling subdomain: the parent domain both share, so that the frontend's scripts
# can read the CSRF cookie. The session cookie stays the API host's own (its __Host- prefix forbids a domain).
CSRF_COOKIE_DOMAIN = env.str("CSRF_COOKIE_DOMAIN", default="") or None

# Every rule over the values above (config/checks.py), and what the environment could not be read as:
# one start-up reports every problem there is, and the site serves nothing while there is one.
if problems := [*env.problems, *checks.find_problems(SimpleNamespace(**globals()))]:
    raise ImproperlyConfigured(report(problems))
