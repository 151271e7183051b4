"""WSGI entry point (gunicorn prcouncil.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prcouncil.settings.production")

application = get_wsgi_application()
