import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

from apps.core.sweeper import start_web_sweeper  # noqa: E402

start_web_sweeper()  # rounds close and lost work is re-sent even while the worker is down
