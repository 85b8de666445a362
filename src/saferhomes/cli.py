"""The `saferhomes` console script: Django's management commands plus our own."""

import os
import sys


def main() -> None:
    """Run a management command, e.g. `saferhomes migrate` or `saferhomes seed --homes 500`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhomes.config.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "saferhomes"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
