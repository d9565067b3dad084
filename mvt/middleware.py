"""Project-wide middleware: the language, and guards that answer malformed requests with a 400."""

import codecs
import re

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .views import bad_request

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
