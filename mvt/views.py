"""The site's own error pages.

Django's default handlers run the CSRF check again (`requires_csrf_token`), which reads request.POST:
for a body Django refuses to parse, that raises inside the handler and a 400 becomes a 500. These never
touch the request body.
"""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    """400: the normal page, in the visitor's language; under /api/ the API's JSON error."""
    if request.path_info.startswith("/api/"):
        from django.http import JsonResponse
        from django.utils.translation import gettext

        response = JsonResponse({"code": "bad_request", "detail": gettext("The request could not be read.")},
                                status=400)
        response["X-MVT-Code"] = "bad_request"
        return response
    return render(request, "400.html", status=400)


def server_error(request):
    """500: a static bilingual page that needs neither the database nor the request."""
    return HttpResponseServerError(loader.get_template("500.html").render())
