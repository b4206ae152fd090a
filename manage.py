#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["runcontrol"]:
        # A control run on files needs no Django; starting it cost as much as reading a
        # million-row ledger. Options that need the database go on to the Django command.
        from ik.engine.controls.cli import run_without_django

        code = run_without_django(sys.argv[2:], sys.stdout, sys.stderr)
        if code is not None:
            sys.exit(code)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ik.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
