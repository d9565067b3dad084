"""Project-wide middleware: the language, and guards that answer malformed requests with a 400."""

import codecs

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .views import bad_request


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
