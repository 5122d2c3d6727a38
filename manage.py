#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ktpku.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        from ktpku.config import ConfigError

        if not isinstance(exc, ConfigError):
            raise
        # One line naming the variable is what an operator needs; a traceback is not.
        sys.stderr.write(f"KTPku configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
