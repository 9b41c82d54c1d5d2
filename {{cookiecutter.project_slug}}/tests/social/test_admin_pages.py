"""Social login in the admin: no provider token, and no provider credentials to type in."""

import pytest
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.urls import NoReverseMatch, reverse

from ..test_admin_pages import admin_pages


def test_social_apps_are_not_in_the_admin():
    """Provider credentials come from the environment alone; the site ignores SocialApp rows."""
    with pytest.raises(NoReverseMatch):
        reverse("admin:socialaccount_socialapp_changelist")


def test_provider_tokens_are_not_shown(admin_client, user):
    account = SocialAccount.objects.create(user=user, provider="github", uid="583231")
    token = SocialToken.objects.create(account=account, token="gho_access-token", token_secret="ghr_refresh-token")

    pages = admin_pages(admin_client, token)

    assert "access-token" not in pages
    assert "refresh-token" not in pages
    assert "583231" in admin_pages(admin_client, account)
