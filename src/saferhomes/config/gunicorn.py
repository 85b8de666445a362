"""gunicorn's settings in production: `gunicorn -c python:saferhomes.config.gunicorn saferhomes.config.wsgi`.

The access log is Apache's combined format, and every line of it and of the error log goes through
`core.redaction.RedactPrivateLinks`: the request line and the Referer of a resident's status page, diary or survey
carry its private token, which is replaced by [redacted] (issue 14 item 9). Environment: GUNICORN_BIND (default
0.0.0.0:8000), WEB_CONCURRENCY (workers, default 3), LOG_LEVEL (default INFO).
"""

from __future__ import annotations

import os

wsgi_app = "saferhomes.config.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'

_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_private_links": {"()": "saferhomes.core.redaction.RedactPrivateLinks"}},
    "formatters": {
        "generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s"},
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
            "filters": ["redact_private_links"],
        },
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "stream": "ext://sys.stderr",
            "filters": ["redact_private_links"],
        },
    },
    "root": {"level": _LEVEL, "handlers": ["error"]},
    "loggers": {
        "gunicorn.error": {"level": _LEVEL, "handlers": ["error"], "propagate": False, "qualname": "gunicorn.error"},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False, "qualname": "gunicorn.access"},
    },
}
