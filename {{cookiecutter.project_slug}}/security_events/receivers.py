"""allauth's signals, each turned into the security event it means for the user."""

from typing import Any

from allauth.account import signals as account_signals
from allauth.account.authentication import get_authentication_records
{%- if cookiecutter.mfa != "none" %}
from allauth.mfa import signals as mfa_signals
{%- endif %}
{%- if cookiecutter.social_login %}
from allauth.socialaccount import signals as social_signals
{%- endif %}

from .models import SecurityEvent
from .recording import {% if cookiecutter.social_login %}note_client, {% endif %}record

Kind = SecurityEvent.Kind


def connect() -> None:
    """Connects every receiver below; called once, when the app is ready."""
    for signal, receiver in [
        (account_signals.user_logged_in, on_logged_in),
        (account_signals.user_logged_out, on_logged_out),
        (account_signals.authentication_step_completed, on_authentication_step),
        (account_signals.password_changed, on_user_event(Kind.PASSWORD_CHANGED)),
        (account_signals.password_set, on_user_event(Kind.PASSWORD_SET)),
        (account_signals.password_reset, on_user_event(Kind.PASSWORD_RESET)),
        (account_signals.email_added, on_email_added),
        (account_signals.email_confirmed, on_email_confirmed),
        (account_signals.email_changed, on_email_changed),
        (account_signals.email_removed, on_email_removed),
{%- if cookiecutter.mfa != "none" %}
        (mfa_signals.authenticator_added, on_authenticator_added),
        (mfa_signals.authenticator_removed, on_authenticator_removed),
        (mfa_signals.authenticator_reset, on_authenticator_reset),
        (mfa_signals.authenticator_used, on_authenticator_used),
        (mfa_signals.authentication_failed, on_second_factor_failed),
{%- endif %}
{%- if cookiecutter.social_login %}
        (social_signals.pre_social_login, on_provider_login_started),
        (social_signals.social_account_added, on_provider_connected),
        (social_signals.social_account_removed, on_provider_disconnected),
{%- endif %}
    ]:
        # Strong references: the receivers made by on_user_event exist nowhere else and would be collected.
        signal.connect(receiver, weak=False, dispatch_uid=f"security_events.{signal_name(receiver)}")


def signal_name(receiver: Any) -> str:
    return getattr(receiver, "kind", None) or receiver.__name__


def on_user_event(kind: str):
    """A receiver for the signals whose only news is the user and the kind."""

    def receiver(sender, request=None, user=None, **kwargs) -> None:
        record(request, user, kind)

    receiver.kind = kind
    return receiver


def on_logged_in(sender, request, user, **kwargs) -> None:
    record(request, user, Kind.LOGIN, **login_method(get_authentication_records(request, user)))


def login_method(records: list[dict]) -> dict[str, str]:
    """How the user logged in, from the steps allauth noted in the session: the first one, and a second factor."""
    if not records:
        return {"method": "email_confirmation"}  # logged in by the link that verified the address at signup
    first = records[0]
    method = first.get("method", "")
    if method == "mfa" and first.get("passwordless"):
        method = "passkey"
    elif method == "socialaccount":
        method = "provider"
    described = {"method": method}
    if first.get("provider"):
        described["provider"] = first["provider"]
    second_factors = [step["type"] for step in records[1:] if step.get("method") == "mfa"]
    if second_factors:
        described["second_factor"] = second_factors[0]
    return described


def on_logged_out(sender, request, user, **kwargs) -> None:
    record(request, user, Kind.LOGOUT)


def on_authentication_step(sender, request, user, method, **kwargs) -> None:
    # Each step of a login comes here too; only a confirmation of a signed-in user's identity is news.
    if kwargs.get("reauthenticated"):
        record(request, user, Kind.REAUTHENTICATED, method=kwargs.get("type", method))


def on_email_added(sender, request, user, email_address, **kwargs) -> None:
    record(request, user, Kind.EMAIL_ADDED, email=email_address.email)


def on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    record(request, email_address.user, Kind.EMAIL_CONFIRMED, email=email_address.email)


def on_email_changed(sender, request, user, from_email_address, to_email_address, **kwargs) -> None:
    # allauth says so when a signup's address is verified too, where no address was replaced: the
    # verification, recorded already, is all that happened.
    if from_email_address is None:
        return
    record(request, user, Kind.EMAIL_MADE_PRIMARY, email=to_email_address.email, previous=from_email_address.email)


def on_email_removed(sender, request, user, email_address, **kwargs) -> None:
    record(request, user, Kind.EMAIL_REMOVED, email=email_address.email)
{%- if cookiecutter.mfa != "none" %}


def on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    if authenticator.type == authenticator.Type.RECOVERY_CODES:
        record(request, user, Kind.RECOVERY_CODES_GENERATED)
    else:
        record(request, user, Kind.SECOND_FACTOR_ADDED, type=authenticator.type)


def on_authenticator_removed(sender, request, user, authenticator, **kwargs) -> None:
    record(request, user, Kind.SECOND_FACTOR_REMOVED, type=authenticator.type)


def on_authenticator_reset(sender, request, user, authenticator, **kwargs) -> None:
    record(request, user, Kind.RECOVERY_CODES_GENERATED)


def on_authenticator_used(sender, request, user, authenticator, **kwargs) -> None:
    # A use of the app or a passkey is part of the login or reauthentication recorded already.
    if authenticator.type == authenticator.Type.RECOVERY_CODES:
        record(request, user, Kind.RECOVERY_CODE_USED)


def on_second_factor_failed(sender, request, user, authenticator, **kwargs) -> None:
    record(request, user, Kind.SECOND_FACTOR_FAILED, type=authenticator.type)
{%- endif %}
{%- if cookiecutter.social_login %}


def on_provider_login_started(sender, request, sociallogin, **kwargs) -> None:
    # The browser's redirect flow ends at allauth's callback, outside the headless API's paths: what that
    # request records (a login, a connected provider) still belongs to the browser client.
    if sociallogin.is_headless:
        note_client(request, SecurityEvent.Client.BROWSER)


def on_provider_connected(sender, request, sociallogin, **kwargs) -> None:
    record(request, sociallogin.user, Kind.PROVIDER_CONNECTED, provider=sociallogin.account.provider)


def on_provider_disconnected(sender, request, socialaccount, **kwargs) -> None:
    record(request, socialaccount.user, Kind.PROVIDER_DISCONNECTED, provider=socialaccount.provider)
{%- endif %}
