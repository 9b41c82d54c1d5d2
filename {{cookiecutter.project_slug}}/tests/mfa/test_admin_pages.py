"""Second factors in the admin: which a user has and when each was used, never a secret."""

from allauth.mfa.models import Authenticator

from ..test_admin_pages import admin_pages


def test_authenticators_show_no_secret(admin_client, totp_user):
    app = Authenticator.objects.get(type=Authenticator.Type.TOTP)
    recovery_codes = Authenticator.objects.get(type=Authenticator.Type.RECOVERY_CODES)

    pages = admin_pages(admin_client, app) + admin_pages(admin_client, recovery_codes)

    assert totp_user.secret not in pages
    assert recovery_codes.data["seed"] not in pages
    assert not [code for code in totp_user.recovery_codes if code in pages]
    assert "TOTP Authenticator" in pages
