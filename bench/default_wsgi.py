"""The generated site's WSGI module as Django writes it, without config/wsgi.py's imports (bin/bench --pieces)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
