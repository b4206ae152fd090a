"""The rules and maths of internal control, free of Django.

Everything here takes plain Python values or files and returns dataclasses, so it can be
tested without a database and rerun by an auditor outside the application.
"""
