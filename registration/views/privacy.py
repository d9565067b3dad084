"""A person's own data: see what we hold, download it, erase the account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from common.errors import AppError, with_code

from ..forms import EraseAccountForm
from ..services.privacy import erase_person, export_personal_data


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    """What we hold, a download of all of it, and (POST) erasing the account after tick and password."""
    form = EraseAccountForm(request.POST or None, user=request.user)
    code = None
    if request.method == "POST":
        if form.is_valid():
            try:
                erase_person(user=request.user)
            except AppError as error:
                messages.error(request, error.message)
                code = error.code
            else:
                logout(request)
                messages.success(request, _("Your account and personal data are erased. Thank you for coming."))
                return with_code(HttpResponseRedirect("/"), "erased")
        else:
            code = "confirm_erase"
    data = export_personal_data(request.user)
    response = render(request, "attendee/my_data.html", {
        "form": form, "data": data, "is_staff": request.user.is_staff or request.user.is_superuser, "nav": "data",
    }, status=400 if code == "confirm_erase" else 200)
    return with_code(response, code) if code else response


@never_cache
@login_required
@require_GET
def my_data_download(request):
    """Everything from my_data as one JSON file."""
    body = json.dumps(export_personal_data(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mvt-my-data-{stamp}.json"'
    return response
