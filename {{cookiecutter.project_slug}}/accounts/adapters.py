"""allauth adapters: the frontend URLs in mails where allauth's mechanism does not reach, and faster reads.

allauth fills its own links from HEADLESS_FRONTEND_URLS (built in settings.py
from settings.FRONTEND_URLS); the account adapter adds the links allauth has
no route for. When a URL is not configured (only possible with HEADLESS_ONLY
off), each link falls back to allauth's own server-rendered page.
{%- if cookiecutter.mfa != "none" %} The secrets of second factors are stored
encrypted with MFA_ENCRYPTION_KEYS (accounts/mfa_encryption.py).
{%- endif %}
{%- if cookiecutter.mfa == "totp and passkeys" %} Passkeys are made for the
frontend's relying party ID (settings.MFA_WEBAUTHN_RP_ID).
{%- endif %}
{%- if cookiecutter.social_login %} Social login providers come from the environment alone
(settings.SOCIALACCOUNT_PROVIDERS, made by accounts/social_providers.py).
{%- endif %}
"""

from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.account.utils import filter_users_by_email, user_display, user_username
from allauth.core import context
from allauth.headless.adapter import DefaultHeadlessAdapter
from allauth.headless.adapter import get_adapter as get_headless_adapter
{%- if cookiecutter.mfa != "none" %}
from allauth.mfa.adapter import DefaultMFAAdapter
{%- endif %}
{%- if cookiecutter.social_login %}
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
{%- endif %}
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.urls import reverse

from security_events.recording import record_ended_sessions, record_failed_login

from . import frontend_urls{% if cookiecutter.mfa != "none" %}, mfa_encryption{% endif %}

# Notices that carry a link, and the allauth page the link stands for. allauth's own notices carry no
# link, so allauth never asks for one; the link is looked up the way allauth looks up its own.
NOTICE_LINKS = {
    "account/email/password_changed": "account_change_password",
    "account/email/password_reset": "account_change_password",
    "account/email/email_changed": "account_email",
}


def frontend_url(setting: str, **params: str) -> str | None:
    """The configured URL for ``setting`` with ``params`` filled in, or None if unset.

    For the URLs that HEADLESS_FRONTEND_URLS cannot express (their FrontendURL has no allauth_name).
    """
    template = settings.FRONTEND_URLS.get(setting)
    return frontend_urls.render(template, **params) if template else None


class AccountAdapter(DefaultAccountAdapter):
    def authentication_failed(self, request, **credentials: Any) -> None:
        super().authentication_failed(request, **credentials)
        record_failed_login(request, credentials)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {"site_name": settings.SITE_NAME, **context})

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        # allauth has one route for confirming any address (EMAIL_VERIFICATION_URL). A user's first address
        # is verified after signup; any other one is a change of address, which has a route of its own.
        if not emailconfirmation.email_address.primary and (
            url := frontend_url("EMAIL_CHANGE_CONFIRMATION_URL", token=emailconfirmation.key)
        ):
            return url
        return super().get_email_confirmation_url(request, emailconfirmation)

    def send_confirmation_mail(self, request, emailconfirmation, signup: bool) -> None:
        super().send_confirmation_mail(request, emailconfirmation, signup)
        new_address = emailconfirmation.email_address
        if not new_address.primary:
            self.send_email_change_requested_mail(new_address)

    def send_email_change_requested_mail(self, new_address: EmailAddress) -> None:
        """Tell the current address that a change was asked for, and how to stop it."""
        if account_settings.EMAIL_VERIFICATION_BY_CODE_ENABLED:
            # The change waits for its code in the session that asked for it, where no other device can
            # cancel it; a new password logs that session out, and the change ends with it.
            how_to_stop = {"reset_password_url": self._link("account_reset_password")}
        else:
            how_to_stop = {"cancel_url": self._link("account_email")}
        self.send_notification_mail(
            "account/email/email_change_requested", new_address.user, {"to_email": new_address.email, **how_to_stop}
        )

    def get_reset_password_from_key_url(self, key: str) -> str:
        # allauth fills its route with one opaque key, "<uid>-<token>"; PASSWORD_RESET_URL takes the two
        # halves, {uidb64} and {token}. The uid never contains a dash (accounts/allauth_compat.py lists the
        # allauth code that makes the key).
        uidb64, token = key.split("-", 1)
        url = frontend_url("PASSWORD_RESET_URL", uidb64=uidb64, token=token)
        return url or super().get_reset_password_from_key_url(key)

    def send_account_already_exists_mail(self, email: str) -> None:
        users = filter_users_by_email(email)
        if users and not any(user.has_usable_password() for user in users):
            # Accounts made through a provider have no password to reset.
            self.send_mail(
                "account/email/account_already_exists_without_password",
                email,
                {"set_password_url": self._link("account_set_password")},
            )
            return
        super().send_account_already_exists_mail(email)

    def send_notification_mail(
        self,
        template_prefix: str,
        user,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        if template_prefix in NOTICE_LINKS:
            context = {**(context or {}), "link_url": self._link(NOTICE_LINKS[template_prefix])}
        super().send_notification_mail(template_prefix, user, context, email)

    def _link(self, url_name: str) -> str:
        """The frontend's route for allauth's page ``url_name`` (HEADLESS_FRONTEND_URLS), or else that page."""
        url = get_headless_adapter().get_frontend_url(url_name)
        return url or self.request.build_absolute_uri(reverse(url_name))


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions) -> None:
        record_ended_sessions(context.request, list(sessions))
        super().end_sessions(sessions)


class HeadlessAdapter(DefaultHeadlessAdapter):
    def get_user_dataclass(self) -> type:
        # allauth makes the class anew on every call (dataclasses.make_dataclass, which compiles code): a third
        # of a session check. Its fields depend only on the user model and the settings, so one class serves all.
        adapter_class = type(self)
        if "_user_dataclass" not in vars(adapter_class):
            adapter_class._user_dataclass = super().get_user_dataclass()
        return adapter_class._user_dataclass

    def user_as_dataclass(self, user: AbstractBaseUser) -> Any:
        if not self._user_is_current():
            # A change of address saves it on another copy of the user, so ask the address table.
            return super().user_as_dataclass(user)
        # allauth keeps the user's own email field equal to the primary address, so a read such as
        # the session check takes it from there and needs no query of the address table. The fields are
        # allauth's own (accounts/allauth_compat.py notices when allauth's method changes).
        fields = {
            "id": str(user.pk),
            "email": user.email or None,
            "display": user_display(user),
            "has_usable_password": user.has_usable_password(),
        }
        if account_settings.USER_MODEL_USERNAME_FIELD:
            fields["username"] = user_username(user)
        return self.get_user_dataclass()(**fields)

    def _user_is_current(self) -> bool:
        """Whether the request's user has its primary address in its email field: reads, and the login,
        whose user authenticate() has just read from the database."""
        if self.request is None:
            return False
        match = self.request.resolver_match
        login = match is not None and match.view_name.startswith("headless:") and match.url_name == "login"
        return self.request.method in ("GET", "HEAD") or login
{%- if cookiecutter.mfa != "none" %}


class MFAAdapter(DefaultMFAAdapter):
    # allauth passes each secret it stores through these two: an app's secret, the recovery codes' seed.
    def encrypt(self, text: str) -> str:
        return mfa_encryption.encrypt(settings.MFA_ENCRYPTION_KEYS, text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_encryption.decrypt(settings.MFA_ENCRYPTION_KEYS, encrypted_text)
{%- endif %}
{%- if cookiecutter.mfa == "totp and passkeys" %}

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        # allauth's default ID is the host the request came to, the API's; passkeys belong to the
        # frontend. Only allauth's own pages, with no frontend configured, keep the default.
        entity = super().get_public_key_credential_rp_entity()
        return {"id": settings.MFA_WEBAUTHN_RP_ID or entity["id"], "name": settings.SITE_NAME}
{%- endif %}
{%- if cookiecutter.social_login %}


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider: str | None = None, client_id: str | None = None) -> list[SocialApp]:
        # allauth's default also reads SocialApp rows from the database, on every config and session
        # call. Providers here come from the environment only, so there are none to read; the apps are
        # built and filtered as allauth does (accounts/allauth_compat.py notices when that changes).
        apps = []
        for provider_class_id, provider_settings in settings.SOCIALACCOUNT_PROVIDERS.items():
            for app_settings in provider_settings.get("APPS", []):
                app = SocialApp(provider=provider_class_id, **app_settings)
                if provider and provider not in (app.provider, app.provider_id):
                    continue
                if client_id and app.client_id != client_id:
                    continue
                apps.append(app)
        return apps
{%- endif %}
