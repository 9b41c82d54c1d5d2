"""Request ids: an X-Request-ID from the client is kept only when it is a short, plain id.

django-log-request-id takes the header as it comes, and every client can send
it: kilobytes of text, markup, or words that pass for other fields of a log
line would go into every log line of the request and back out in the response. This middleware, listed before
it, drops a header that is not 1 to 64 letters, digits, dots, dashes or
underscores (what proxies and tracing systems send), so that a new id is made
up instead (GENERATE_REQUEST_ID_IF_NOT_IN_HEADER).
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

View = Callable[[HttpRequest], HttpResponse]


def keep_plain_request_ids(get_response: View) -> View:
    def middleware(request: HttpRequest) -> HttpResponse:
        header = settings.LOG_REQUEST_ID_HEADER
        if header in request.META and not REQUEST_ID.fullmatch(request.META[header]):
            del request.META[header]
        return get_response(request)

    return middleware
