"""The request type for views that answer htmx with a template partial.

django-htmx's middleware sets `request.htmx` (true for requests htmx made); this type lets
mypy know the attribute is there.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
