"""Views that write and then fail, for the transaction tests only."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
@login_not_required
def write_then_deny(request: HttpRequest) -> HttpResponse:
    Group.objects.create(name=request.POST["name"])
    raise PermissionDenied


@csrf_exempt
@login_not_required
def write_then_fail(request: HttpRequest) -> HttpResponse:
    Group.objects.create(name=request.POST["name"])
    return HttpResponse("fel", status=503)


@csrf_exempt
@login_not_required
def write(request: HttpRequest) -> HttpResponse:
    """Answers how many transactions (savepoints inside the test's own) are open."""
    Group.objects.create(name=request.POST["name"])
    return HttpResponse(str(len(connection.savepoint_ids)))


@csrf_exempt
@login_not_required
@transaction.non_atomic_requests
def write_own_transaction(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(len(connection.savepoint_ids)))


@login_not_required
def read(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(Group.objects.count()))


urlpatterns = [
    path("deny/", write_then_deny),
    path("fail/", write_then_fail),
    path("write/", write),
    path("own/", write_own_transaction),
    path("read/", read),
]


@login_not_required
def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("något gick sönder")


urlpatterns.append(path("boom/", boom))
