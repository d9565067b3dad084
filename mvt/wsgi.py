"""WSGI entry point: gunicorn mvt.wsgi."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvt.settings")
application = get_wsgi_application()
