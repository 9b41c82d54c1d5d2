from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "accounts"


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on the site that signs staff in through the site's own login (accounts/admin_site.py)."""

    default = False  # named in full in INSTALLED_APPS; "accounts" alone stays AccountsConfig
    default_site = "accounts.admin_site.AdminSite"
