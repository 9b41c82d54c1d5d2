"""allauth adapters that put the frontend URLs (settings.FRONTEND_URLS) into mails and redirects.

When a URL is not configured (only possible with HEADLESS_ONLY off), each
method falls back to allauth's own server-rendered page.
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
from allauth.headless.adapter import DefaultHeadlessAdapter
{%- if cookiecutter.mfa == "totp and passkeys" %}
from allauth.mfa.adapter import DefaultMFAAdapter
{%- endif %}
{%- if cookiecutter.social_login %}
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
{%- endif %}
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.urls import reverse

from . import frontend_urls

# allauth's names for the frontend pages it links to, and our settings for them.
ALLAUTH_URL_NAMES = {
    "account_confirm_email": "EMAIL_VERIFICATION_URL",
    "account_signup": "ACCOUNT_SIGNUP_URL",
    "account_reset_password": "ACCOUNT_RESET_PASSWORD_URL",
    "socialaccount_login_error": "SOCIALACCOUNT_LOGIN_ERROR_URL",
}

# Notices that carry a link, the setting for it, and the page used without one.
NOTICE_LINKS = {
    "account/email/password_changed": ("PASSWORD_CHANGED_URL", "account_change_password"),
    "account/email/password_reset": ("PASSWORD_CHANGED_URL", "account_change_password"),
    "account/email/email_changed": ("EMAIL_CHANGE_CANCEL_URL", "account_email"),
}


def frontend_url(setting: str, **params: str) -> str | None:
    """The configured URL for ``setting`` with ``params`` filled in, or None if unset."""
    template = settings.FRONTEND_URLS.get(setting)
    return frontend_urls.render(template, **params) if template else None


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {"site_name": settings.SITE_NAME, **context})

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        address = emailconfirmation.email_address
        # A user's first address is verified after signup; any other one is a change of address.
        setting = "EMAIL_VERIFICATION_URL" if address.primary else "EMAIL_CHANGE_CONFIRMATION_URL"
        url = frontend_url(setting, token=emailconfirmation.key)
        return url or super().get_email_confirmation_url(request, emailconfirmation)

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
            how_to_stop = {"reset_password_url": self._link("ACCOUNT_RESET_PASSWORD_URL", "account_reset_password")}
        else:
            how_to_stop = {"cancel_url": self._link("EMAIL_CHANGE_CANCEL_URL", "account_email")}
        self.send_notification_mail(
            "account/email/email_change_requested", new_address.user, {"to_email": new_address.email, **how_to_stop}
        )

    def get_reset_password_from_key_url(self, key: str) -> str:
        # allauth's key is "<uid>-<token>"; the uid never contains a dash.
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
                {"set_password_url": self._link("SET_PASSWORD_URL", "account_set_password")},
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
            setting, fallback = NOTICE_LINKS[template_prefix]
            context = {**(context or {}), "link_url": self._link(setting, fallback)}
        super().send_notification_mail(template_prefix, user, context, email)

    def _link(self, setting: str, fallback_url_name: str) -> str:
        url = frontend_url(setting)
        return url or self.request.build_absolute_uri(reverse(fallback_url_name))


class HeadlessAdapter(DefaultHeadlessAdapter):
    def get_frontend_url(self, urlname: str, **kwargs) -> str | None:
        setting = ALLAUTH_URL_NAMES.get(urlname)
        if setting is None:
            return super().get_frontend_url(urlname, **kwargs)
        if "key" in kwargs:
            kwargs["token"] = kwargs.pop("key")
        return frontend_url(setting, **kwargs)

    def user_as_dataclass(self, user: AbstractBaseUser) -> Any:
        if self.request is None or self.request.method not in ("GET", "HEAD"):
            # A change of address saves it on another copy of the user, so ask the address table.
            return super().user_as_dataclass(user)
        # allauth keeps the user's own email field equal to the primary address, so a read such as
        # the session check takes it from there and needs no query of the address table.
        fields = {
            "id": str(user.pk),
            "email": user.email or None,
            "display": user_display(user),
            "has_usable_password": user.has_usable_password(),
        }
        if account_settings.USER_MODEL_USERNAME_FIELD:
            fields["username"] = user_username(user)
        return self.get_user_dataclass()(**fields)
{%- if cookiecutter.mfa == "totp and passkeys" %}


class MFAAdapter(DefaultMFAAdapter):
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
        # call. Providers here come from the environment only, so there are none to read.
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
