"""Project-wide middleware: the language, and guards that answer malformed requests with a 400."""

import codecs
import logging
import re
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from .views import bad_request

logger = logging.getLogger(__name__)

# C0 control characters and DEL. No path, query string or cookie of this site needs one; line breaks
# and tabs in form bodies (addresses, lists of names) are not checked here.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the visitor chose another language with the switch (stored in the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; for a Swedish conference we keep
    the UI Swedish by default and let the switch decide.
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


class RefuseNonUtf8FormsMiddleware:
    """A urlencoded form declared in another charset than UTF-8 answers 400 before anything reads it.

    Django parses such forms as UTF-8 only and raises BadRequest on every read of request.POST; the
    CSRF check reads it first, so without this guard every POST endpoint answered 500. Spellings of
    UTF-8 itself ("utf8", "UTF-8") are accepted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded" \
                and request.encoding:
            if codecs.lookup(request.encoding).name != "utf-8":
                return bad_request(request)
            request.encoding = "utf-8"
        return self.get_response(request)


class RefuseControlCharactersMiddleware:
    """A control character in the path, the query string (decoded) or a cookie answers 400.

    PostgreSQL refuses NUL in text, so a NUL in an admin filter, an autocomplete term, a text primary
    key or the session cookie made the query raise and the page answer 500 (SQLite let it through).
    One guard here, so that every view on both databases gives the same answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        texts = [request.path, *request.COOKIES.values()]
        for key, values in request.GET.lists():
            texts += [key, *values]
        if any(CONTROL_CHARACTER.search(text) for text in texts):
            return bad_request(request)
        return self.get_response(request)


SAFE_METHODS = ("GET", "HEAD")


class RetryReadsOnLostConnectionMiddleware:
    """A GET or HEAD that failed because the database connection was lost runs once more on a new connection.

    A connection kept open between requests (CONN_MAX_AGE) can be cut by the server (a restart, a failover, an
    idle timeout in a pooler). CONN_HEALTH_CHECKS finds most such connections before a request uses them; this
    catches the rest, and one that dies during a request. Only read-only methods are retried: a write may have
    half happened. Django turns every exception into a 500 response inside the middleware chain, so the failure
    is noticed through got_request_exception, which sees the exception itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in SAFE_METHODS and getattr(request, "_lost_db_connection", False):
            logger.warning("Database connection lost during %s %s; retrying once on a new connection.",
                           request.method, request.path)
            for conn in connections.all(initialized_only=True):
                if not conn.in_atomic_block:
                    conn.close()
            request._lost_db_connection = False
            request._db_retried = True
            response = self.get_response(request)
        return response


def _note_lost_connection(sender, request=None, **kwargs):
    error = sys.exc_info()[1]
    if request is None or request.method not in SAFE_METHODS or getattr(request, "_db_retried", False) \
            or not isinstance(error, InterfaceError | OperationalError):
        return
    # A lock timeout or a bad query is an OperationalError too: retry only when a connection is really gone.
    if any(conn.connection is not None and not conn.in_atomic_block and not conn.is_usable()
           for conn in connections.all(initialized_only=True)):
        request._lost_db_connection = True


got_request_exception.connect(_note_lost_connection, dispatch_uid="mvt.retry_reads_on_lost_connection")


class WarnUntrustedForwardedProtoMiddleware:
    """Log once per process when X-Forwarded-Proto arrives but BEHIND_PROXY is off.

    Behind a TLS-terminating proxy without BEHIND_PROXY, every request looks like plain HTTP, so the HTTPS
    redirect sends the browser back to the same https:// address for ever. The header is still not trusted
    (anyone can send it); the warning says which setting is missing.
    """

    warned = False

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not WarnUntrustedForwardedProtoMiddleware.warned and settings.SECURE_PROXY_SSL_HEADER is None \
                and "HTTP_X_FORWARDED_PROTO" in request.META:
            WarnUntrustedForwardedProtoMiddleware.warned = True
            logger.warning(
                "A request came with X-Forwarded-Proto, but BEHIND_PROXY is off, so the header is ignored. "
                "Behind a TLS-terminating proxy, set BEHIND_PROXY=1, or the HTTPS redirect loops."
            )
        return self.get_response(request)


class ReadOnlyDatabaseMiddleware:
    """A write while the database only reads (maintenance, failover) answers 503 with a maintenance page and
    the code read_only, not a 500. Services that lock rows say so themselves (common.errors.ReadOnlyError)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from common.errors import with_code
        from common.locking import is_read_only_error

        if not is_read_only_error(exception):
            return None
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "300"
        return with_code(response, "read_only")
