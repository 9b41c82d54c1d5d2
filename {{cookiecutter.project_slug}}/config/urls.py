"""URL configuration: the headless API, the project API, allauth's provider and account pages, JWKS, health, admin
{%- if cookiecutter.identity_provider %},
the OpenID Connect provider{% endif %}
{%- if cookiecutter.demo_frontend %},
the demo frontend{% endif %}."""

from allauth.account import views as account_views
from allauth.headless.constants import Client
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

{% if cookiecutter.identity_provider -%}
from accounts import identity_provider
{% endif -%}
from accounts.headless.password_reset import ResetPasswordView
from accounts.headless.signup import SignupView
from accounts.headless.token_refresh import RefreshTokenView
from accounts.jwks import jwks
from api.v1 import api
from core.views import bad_request, healthz, not_found, permission_denied, server_error

# allauth routes its phone endpoints even where no phone numbers are kept, and
# they answer with a 500 there. This site keeps none, so they do not exist.
PHONE_ENDPOINTS = ["auth/phone/verify", "auth/phone/verify/resend", "account/phone"]
# The app client sends no CSRF token, so its 404 must not wait for one.
NOT_FOUND_FOR = {Client.APP: csrf_exempt(not_found), Client.BROWSER: not_found}

urlpatterns = [
    *(
        re_path(rf"^_allauth/{client.value}/v1/{endpoint}$", NOT_FOUND_FOR[client])
        for client in Client
        for endpoint in PHONE_ENDPOINTS
    ),
    # Three of allauth's headless views, answered by the site's own versions (their modules say why).
    *(path(f"_allauth/{client.value}/v1/auth/signup", SignupView.as_api_view(client=client)) for client in Client),
    *(
        path(f"_allauth/{client.value}/v1/auth/password/reset", ResetPasswordView.as_api_view(client=client))
        for client in Client
    ),
    path("_allauth/app/v1/tokens/refresh", RefreshTokenView.as_api_view(client=Client.APP)),
    path("_allauth/", include("allauth.headless.urls")),
    # With HEADLESS_ONLY off, allauth's signup page, in one transaction as the headless signup
    # (accounts/signup_timing.py says why).
    *([] if settings.HEADLESS_ONLY else [path("accounts/signup/", transaction.atomic(account_views.signup))]),
    # With HEADLESS_ONLY on, allauth routes only what providers call back to here.
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path(".well-known/jwks.json", jwks, name="jwks"),
{%- if cookiecutter.identity_provider %}
    # The OpenID Connect provider: discovery, authorization, token, userinfo, logout. allauth's own key set
    # at .well-known/jwks.json is the one above, which publishes the provider's key too. Its authorization
    # endpoint is taken over for prompt=login (accounts/identity_provider.py).
    path("identity/o/authorize", identity_provider.authorization),
    path("", include("allauth.idp.urls")),
{%- endif %}
    path("healthz", healthz, name="healthz"),
]
if settings.ADMIN_URL:
    urlpatterns.append(path(settings.ADMIN_URL, admin.site.urls))
{%- if cookiecutter.demo_frontend %}
# The demo frontend (demo/): its page at / and at the account/ routes that the mails link to.
urlpatterns.append(path("", include("demo.urls")))
{%- endif %}

handler400 = bad_request
handler403 = permission_denied
handler404 = not_found
handler500 = server_error
