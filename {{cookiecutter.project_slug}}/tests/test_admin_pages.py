"""No admin page shows a secret, a token, a session key or a queued mail's body, to a superuser either.

Each model the admin shows is listed here once its pages were reviewed; each test renders a model's pages
for a real object, as a superuser, and looks for the secret in them.
"""

from allauth.usersessions.models import UserSession
from django.apps import apps
from django.contrib import admin
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from mail.backends import BackgroundBackend

from .conftest import EMAIL, HeadlessClient

# Every model the admin may show, by app label: the reviewed ones. A bake shows those of its apps.
REVIEWED = {
    "auth.Group",
    "accounts.User",
    "account.EmailAddress",
    "usersessions.UserSession",
    "django_tasks_database.DBTaskResult",
    "mfa.Authenticator",
    "socialaccount.SocialAccount",
    "socialaccount.SocialToken",
    "allauth_idp_oidc.Client",
    "allauth_idp_oidc.Token",
    "security_events.SecurityEvent",
    "account_data.PendingDeletion",
}
PAGES = ("changelist", "change", "history", "delete")


def admin_pages(client: Client, instance) -> str:
    """The list, change, history and delete pages of ``instance``'s model that the superuser may open, as one text."""
    meta = instance._meta
    texts = []
    for page in PAGES:
        args = [] if page == "changelist" else [instance.pk]
        response = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_{page}", args=args))
        # The list and the object's page are always shown; a model may refuse deletion.
        assert response.status_code in ((200,) if page in ("changelist", "change") else (200, 403)), page
        texts.append(response.content.decode())
    return "\n".join(texts)


def test_the_admin_shows_only_reviewed_models():
    installed = {config.label for config in apps.get_app_configs()}

    shown = {model._meta.label for model in admin.site._registry}

    assert shown == {label for label in REVIEWED if label.split(".")[0] in installed}


def test_user_sessions_show_no_session_key(admin_client, user):
    HeadlessClient("browser").login()
    session = UserSession.objects.get(user=user)

    pages = admin_pages(admin_client, session)

    assert session.session_key not in pages
    assert session.ip in pages


def test_deleting_a_session_in_the_admin_ends_it(admin_client, user):
    browser = HeadlessClient("browser")
    browser.login()
    session = UserSession.objects.get(user=user)

    admin_client.post(reverse("admin:usersessions_usersession_delete", args=[session.pk]), {"post": "yes"})

    assert not UserSession.objects.filter(user=user).exists()
    assert browser.get("auth/session").status_code == 401


def test_user_sessions_can_be_searched(admin_client, user):
    HeadlessClient("browser").login()

    found = admin_client.get(reverse("admin:usersessions_usersession_changelist"), {"q": EMAIL})

    assert found.status_code == 200
    assert found.context["cl"].result_count == 1


def test_queued_mail_shows_no_body_or_link(admin_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    link = "https://app.example.com/account/password/reset/MQ/secret-reset-token"
    message = EmailMultiAlternatives("Password reset", f"Open {link} to reset.", to=[EMAIL])
    message.attach_alternative(f'<a href="{link}">Reset</a>', "text/html")
    BackgroundBackend().send_messages([message])
    task = DBTaskResult.objects.get()

    pages = admin_pages(admin_client, task)

    assert "secret-reset-token" not in pages
    assert "Open " not in pages
    assert "mail.tasks.deliver" in pages


def test_users_show_no_password_hash(admin_client, user):
    digest = user.password.rsplit("$", 1)[-1]

    pages = admin_pages(admin_client, user)

    assert digest not in pages
