"""IK's URLs with the empty signed-in page `load.py` measures as its floor."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from ik.access.core import access_for
from ik.urls import urlpatterns as ik_urlpatterns


@require_safe
def empty_page(request: HttpRequest) -> HttpResponse:
    """What every signed-in page pays before its content: rights, menu and layout."""
    access_for(request)
    return render(request, "base.html", {})


# load.py's EMPTY.
urlpatterns = [path("belastning/tomt/", empty_page), *ik_urlpatterns]
