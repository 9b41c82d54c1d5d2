"""The admin site: staff sign in through the site's own login, so that its rate limits, second factor and
login signals apply to them too{% if cookiecutter.mfa != "none" %}; with ADMIN_REQUIRES_SECOND_FACTOR on, only staff who have a second factor get in{% endif %}.

Django's admin has a login form of its own that checks a password and nothing else. allauth's
``secure_admin_login`` sends signed-out visitors to settings.LOGIN_URL instead, but still hands signed-in
ones to that form, where a staff session could log in as another account by its password alone. Here the
form is never shown: the admin's login URL sends visitors to the site's login page, and back.
"""

{% if cookiecutter.mfa != "none" -%}
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
{% endif -%}
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
{% if cookiecutter.mfa != "none" -%}
from django.urls import NoReverseMatch, reverse
{% else -%}
from django.urls import reverse
{% endif -%}
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from . import login_page
{%- if cookiecutter.mfa != "none" %}

# What allauth asks for at login; recovery codes only stand in for a lost authenticator app.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
{%- endif %}


class AdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request){% if cookiecutter.mfa != "none" %} and not self._lacks_second_factor(request){% endif %}

    @method_decorator(never_cache)
    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        back_to = self._way_back(request)
        if not request.user.is_authenticated:
            return login_page.redirect(request, back_to)
        if self.has_permission(request):
            return HttpResponseRedirect(back_to)
        return self._refuse(request)

    def _way_back(self, request: HttpRequest) -> str:
        """The admin page to open after the login: ``next`` when it is on this site, else the index."""
        back_to = request.GET.get(REDIRECT_FIELD_NAME, "")
        on_this_site = url_has_allowed_host_and_scheme(back_to, {request.get_host()}, request.is_secure())
        return back_to if on_this_site else reverse("admin:index", current_app=self.name)

    def _refuse(self, request: HttpRequest) -> HttpResponse:
        context = {**self.each_context(request), "title": "The admin is closed to this account"}
        if not super().has_permission(request):
            context["reasons"] = [
                f"You are logged in as {request.user}, which is not a staff account, so the admin is closed to it.",
                "Log out, then log in with a staff account, or ask an administrator to give yours access.",
            ]
{%- if cookiecutter.mfa != "none" %}
        else:
            passkeys = " or a passkey" if "webauthn" in settings.MFA_SUPPORTED_TYPES else ""
            context["reasons"] = [
                "The admin requires a second factor, and your account has none yet.",
                f"Add an authenticator app{passkeys} to your account where you manage its security, "
                "then open the admin again.",
            ]
            context["setup_url"] = self._second_factor_page()
{%- endif %}
        return TemplateResponse(request, "admin/access_refused.html", context, status=403)
{%- if cookiecutter.mfa != "none" %}

    def _lacks_second_factor(self, request: HttpRequest) -> bool:
        return settings.ADMIN_REQUIRES_SECOND_FACTOR and not is_mfa_enabled(request.user, SECOND_FACTORS)

    def _second_factor_page(self) -> str | None:
        """allauth's own page for second factors, which exists when HEADLESS_ONLY is off."""
        try:
            return reverse("mfa_index")
        except NoReverseMatch:
            return None
{%- endif %}
