"""What the admin shows of accounts: users, and allauth's records without their secrets, each from its module.

allauth registers its own admin pages, which show what a reader of the page could use to act as a user or
the site (an app's TOTP secret, a session key, a provider's token); each module below registers a version
without it in their place.
"""

from . import {% if cookiecutter.mfa != "none" %}authenticators, {% endif %}{% if cookiecutter.identity_provider %}identity_provider, {% endif %}sessions, {% if cookiecutter.social_login %}social_accounts, {% endif %}users  # noqa: F401  (each registers its pages)
