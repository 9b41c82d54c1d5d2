"""Views of the site's own: the health check, and errors in the API's JSON shape."""

import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .errors import API_PREFIXES, error_response

logger = logging.getLogger(__name__)
# What a request meets while PostgreSQL or Redis restarts, drops its connections or does not answer: the
# site is fine and the next request may well succeed, so it is answered 503 with Retry-After, not 500.
# Only the connection's errors: an IntegrityError or a bad query is a bug, answered 500.
UNAVAILABLE_SERVICE_ERRORS = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 5


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the cache answer, 503 otherwise (for load balancers)."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **{name: "ok" if ok else "error" for name, ok in checks.items()},
        },
        status=200 if healthy else 503,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> JsonResponse:
    return error_response(
        403,
        "CSRF check failed. Send the csrftoken cookie's value in the X-CSRFToken header.",
        "csrf_failed",
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """JSON for API clients (e.g. a body over DATA_UPLOAD_MAX_MEMORY_SIZE), Django's page for everything else."""
    if is_api_request(request):
        if isinstance(exception, RequestDataTooBig):
            message = f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
            return error_response(400, message, "request_too_large")
        return error_response(400, "The request could not be read.", "bad_request")
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """JSON for API clients (e.g. a request whose client address is unknown, for allauth's rate limits)."""
    if is_api_request(request):
        return error_response(403, "This request is not allowed.", "permission_denied")
    return defaults.permission_denied(request, exception)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """JSON for API clients, Django's page for everything else."""
    if is_api_request(request):
        return error_response(404, "There is no such endpoint.", "not_found")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """JSON for API clients, so that even a bug's answer parses; the error itself is logged with the request id.

    Django calls it while handling the error, so sys.exc_info() is the error.
    """
    if isinstance(sys.exc_info()[1], UNAVAILABLE_SERVICE_ERRORS):
        return service_unavailable(request)
    if is_api_request(request):
        return error_response(500, "Something went wrong on our side. Try again later.", "server_error")
    return defaults.server_error(request)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    message = "A service this site needs is not answering. Try again in a few seconds."
    if is_api_request(request):
        response = error_response(503, message, "service_unavailable")
    else:
        response = HttpResponse(message, status=503, content_type="text/plain")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def is_api_request(request: HttpRequest) -> bool:
    """Whether ``request`` is for one of the APIs, by the path the site routes (after any SCRIPT_NAME prefix)."""
    return request.path_info.startswith(API_PREFIXES)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("Health check: the database is unreachable.")
        return False
    return True


def _cache_ok() -> bool:
    try:
        cache.set("healthz", "ok", timeout=5)
        return cache.get("healthz") == "ok"
    except Exception:
        logger.exception("Health check: the cache is unreachable.")
        return False
