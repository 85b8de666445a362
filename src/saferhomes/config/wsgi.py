"""WSGI entry point (gunicorn in production: `saferhomes serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhomes.config.settings")
application = get_wsgi_application()

# In production static files come from `saferhomes collectstatic` (hashed names in a manifest). Without it every page
# fails with a 500 and nothing says why: refuse to start instead, saying what to run (issue 20).
from saferhomes.core.static_check import static_files_collected_or_refuse  # noqa: E402 - needs the app loaded

static_files_collected_or_refuse()
