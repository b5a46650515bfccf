import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
# A web request's statement is cancelled after this long (issue 11: under overload nothing is
# worked on long after the browser gave up); Celery, migrations and commands have no limit.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "15s")
application = get_wsgi_application()
