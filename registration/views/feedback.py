"""Seminar feedback: the form (from My programme, or by the emailed signed link), the organisers' results and
a speaker's own aggregates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from common.errors import AppError, with_code
from sessions.models import Conference
from sessions.selectors import find_public_seminar, get_public_conference

from .. import selectors
from ..access import organiser_required
from ..forms import FeedbackForm
from ..selectors.feedback import conference_feedback, min_answers, speaker_feedback, speakers_of_user
from ..services import feedback as feedback_service


def _feedback_page(request, registration, seminar, *, done_url: str):
    """GET: the form, or why there is none. POST: give the feedback, then back to `done_url` (or the form
    again with the error)."""
    now = timezone.now()
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    refusal = None
    try:
        feedback_service.check_may_give_feedback(registration, seminar, now=now)
    except AppError as error:
        refusal = error
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            feedback_service.give_feedback(registration=registration, seminar=seminar, now=now,
                                           rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
        except AppError as error:
            refusal = error
        else:
            messages.success(request, _("Thank you for rating “%(title)s”.") % {"title": seminar.title})
            return with_code(HttpResponseRedirect(done_url), "feedback_given")
    if refusal is not None and request.method == "POST":
        messages.error(request, refusal.message)
    response = render(request, "attendee/feedback.html", {
        "conference": seminar.conference, "seminar": seminar, "form": form, "refusal": refusal, "nav": "me",
    }, status=409 if refusal is not None and request.method == "POST" else 200)
    return with_code(response, refusal)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, conference, code):
    """Rate a seminar from My programme (logged in)."""
    seminar = find_public_seminar(conference, code)
    registration = selectors.registration_for(request.user, seminar.conference)
    if registration is None:
        raise Http404("No registration")
    return _feedback_page(request, registration, seminar,
                          done_url=reverse("registration:my_programme", args=[seminar.conference.slug]))


@never_cache
@require_http_methods(["GET", "POST"])
def feedback_link(request, token):
    """Rate a seminar by the signed link from the feedback email; no login. The link stops working once
    the rating is given, or when it expires."""
    try:
        registration, seminar = feedback_service.resolve_feedback_token(token)
    except AppError as error:
        return with_code(render(request, "attendee/feedback.html", {"refusal": error}, status=404), error)
    return _feedback_page(request, registration, seminar, done_url=request.path)


@organiser_required
@require_GET
def desk_feedback(request, conference):
    conference = get_object_or_404(Conference, slug=conference)
    return render(request, "desk/feedback.html", {
        "conference": conference, "results": conference_feedback(conference), "nav": "desk",
    })


@never_cache
@login_required
@require_GET
def speaker_feedback_page(request, conference):
    """A speaker's own seminars: how many answered and, from min_answers() answers, the aggregate. 404 for
    anyone who is not one of the conference's speakers."""
    conf = get_public_conference(conference)
    speakers = speakers_of_user(request.user, conf)
    if not speakers:
        raise Http404("Not a speaker")
    return render(request, "attendee/speaker_feedback.html", {
        "conference": conf, "rows": speaker_feedback(speakers), "threshold": min_answers(), "nav": "me",
    })
