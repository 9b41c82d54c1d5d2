"""WSGI entry point, used by gunicorn (see config/gunicorn.py)."""

import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import reverse
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Django imports the URL configuration (and with it every view) on the first request it serves,
# and the session, message, cache and allauth adapter classes, the password hasher's library and
# the Redis client on first use. Importing them here means gunicorn does it once, before forking
# (preload_app): the workers share that memory, and no worker's first caller waits for it.
# Measured with the template's bin/bench --pieces: each worker's own memory (USS) is 14 MiB instead
# of 48 MiB after start (24 instead of 53 MiB after three logins), and the first answer comes 1.5
# times sooner after start. (The first caller's wait is taken by config/gunicorn.py's warm-up either way.)
reverse("healthz")
for dotted_path in (
    f"{settings.SESSION_ENGINE}.SessionStore",
    settings.SESSION_SERIALIZER,
    settings.MESSAGE_STORAGE,
    settings.CACHES["default"]["BACKEND"],
    settings.ACCOUNT_ADAPTER,
    settings.HEADLESS_ADAPTER,
):
    import_string(dotted_path)
import_module("argon2")  # the password hasher's library (accounts/hashers.py)
import_module("redis")  # the Redis client, for the cache and sessions
