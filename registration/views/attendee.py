"""Attendees' pages: register, book and cancel seats, my programme, delegations and claiming a place."""

import io
import secrets

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from common.errors import AppError, with_code
from common.http import safe_next
from sessions.selectors import find_public_seminar, get_public_conference

from .. import selectors
from ..badge_pdf import LAYOUT_A4, badge_data, render_badges
from ..forms import AddMembersForm, ClaimSignupForm, DelegationForm, MemberForm, RegistrationEditForm, RegistrationForm
from ..models import Booking, BookingStatus, RegistrationStatus
from ..selectors.feedback import speakers_of_user
from ..services import booking as booking_service
from ..services import feedback as feedback_service
from ..services import registrations as registration_service
from ..services.badges import current_badges


def _answer(request, target: str, code: str, message: str, *, refused: bool = False):
    """The answer to a seat or registration POST: JSON with the stable code when JSON is asked for
    (scripts, the coming API, benchmarks), else a redirect carrying the code in X-MVT-Code."""
    if "application/json" in request.headers.get("Accept", ""):
        status = (503 if code in ("busy", "read_only") else 409) if refused else 200
        return JsonResponse({"code": str(code), "message": message}, status=status)
    return with_code(HttpResponseRedirect(target), code)


@login_required
def register(request, conference):
    conf = get_public_conference(conference)
    if selectors.registration_for(request.user, conf):
        # Already registered (e.g. logged in from a seminar's "Log in to book"): straight on to where they were.
        return HttpResponseRedirect(safe_next(request, reverse("registration:my_programme", args=[conf.slug])))
    form = RegistrationForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            registration_service.register(
                user=request.user, conference=conf, name=form.cleaned_data["name"], **form.service_fields()
            )
        except AppError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("You are registered for %(conference)s. Now book your seminars.")
                             % {"conference": conf.name})
            target = safe_next(request, reverse("registration:my_programme", args=[conf.slug]))
            return with_code(HttpResponseRedirect(target), "registered")
    return render(request, "attendee/register.html", {
        "conference": conf, "form": form, "next": safe_next(request, ""), "nav": "me",
    })


@login_required
def registration_edit(request, conference):
    """The attendee changes their name, title, organisation, accessibility needs or email language."""
    conf = get_public_conference(conference)
    registration = selectors.registration_for(request.user, conf)
    if registration is None:
        return redirect("registration:register", conference=conf.slug)
    form = RegistrationEditForm(request.POST or None, initial=RegistrationEditForm.initial_for(registration))
    if request.method == "POST" and form.is_valid():
        try:
            registration_service.update_registration(registration=registration, **form.service_fields())
        except AppError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your registration is updated."))
            return with_code(redirect("registration:my_programme", conference=conf.slug), "updated")
    return render(request, "attendee/registration_edit.html", {
        "conference": conf, "registration": registration, "form": form, "nav": "me",
    })


@login_required
def registration_cancel(request, conference):
    """Ask first; on "yes" the whole registration is cancelled (seats freed for the lines, badge revoked,
    calendar feed stopped, an email sent)."""
    conf = get_public_conference(conference)
    registration = selectors.registration_for(request.user, conf)
    if registration is None:
        return redirect("registration:register", conference=conf.slug)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            registration_service.cancel_registration(registration=registration)
        except AppError as error:
            messages.error(request, error.message)
            return with_code(redirect("registration:my_programme", conference=conf.slug), error.code)
        messages.success(request, _("Your registration for %(conference)s is cancelled. You are welcome to "
                                    "register again.") % {"conference": conf.name})
        return with_code(redirect("programme:conference", conference=conf.slug), "cancelled")
    seats = Booking.objects.filter(registration=registration, status=BookingStatus.CONFIRMED).count()
    return with_code(render(request, "attendee/registration_cancel.html", {
        "conference": conf, "registration": registration, "seats": seats, "nav": "me",
    }), "confirm_needed")


@login_required
def my_programme(request, conference):
    conf = get_public_conference(conference)
    registration = selectors.registration_for(request.user, conf)
    if registration is None:
        return redirect("registration:register", conference=conf.slug)
    days = selectors.my_bookings_by_day(registration)
    streamed = selectors.streamed_items_for(registration)
    open_ids, rated = feedback_service.open_feedback_seminar_ids(
        registration, {b.seminar: b.status for _day, items in days for b in items}, now=timezone.now())
    for _day, items in days:
        for booking in items:
            booking.can_rate, booking.rated = booking.seminar_id in open_ids, booking.seminar_id in rated
    return render(request, "attendee/my_programme.html", {
        "conference": conf,
        "registration": registration,
        "days": days,
        "streamed": streamed,
        "is_digital": booking_service.is_digital(registration),
        "is_speaker": bool(speakers_of_user(request.user, conf)),
        "delegations": request.user.coordinated_delegations.filter(conference=conf),
        "nav": "me",
    })


@require_POST
@login_required
def book(request, conference, code):
    seminar = find_public_seminar(conference, code)
    conf = seminar.conference
    registration = selectors.registration_for(request.user, conf, lean=True)
    if registration is None:
        messages.info(request, _("Register for the conference first, then book your seminars."))
        return redirect("registration:register", conference=conf.slug)
    target = safe_next(request, seminar.get_absolute_url())
    try:
        booking = booking_service.book_seat(registration=registration, seminar=seminar)
    except AppError as error:
        messages.error(request, error.message)
        return _answer(request, target, error.code, error.message, refused=True)
    if booking.status == BookingStatus.CONFIRMED:
        text = _("You have a seat in “%(title)s”.") % {"title": seminar.title}
        messages.success(request, text)
    elif booking.status == BookingStatus.WATCHING:
        text = _("You have a watch place in “%(title)s”. The link is on this page and in My programme.") % {
            "title": seminar.title}
        messages.success(request, text)
    else:
        position = getattr(booking, "position", None) or booking_service.waitlist_position(booking)
        text = _("The seminar is full. You are number %(position)d in line for “%(title)s”.") % {
            "position": position, "title": seminar.title}
        messages.info(request, text)
    return _answer(request, target, booking.status, text)


@require_POST
@login_required
def cancel_booking(request, public_id):
    booking = get_object_or_404(
        Booking.objects.select_related("seminar__conference"),
        public_id=public_id, registration__user=request.user, registration__status=RegistrationStatus.ACTIVE,
    )
    target = safe_next(request, reverse("registration:my_programme", args=[booking.seminar.conference.slug]))
    if (booking.status == BookingStatus.CONFIRMED and request.POST.get("confirmed") != "yes"
            and Booking.objects.filter(seminar_id=booking.seminar_id, status=BookingStatus.WAITLISTED).exists()):
        # Someone is waiting: the seat goes to them at once and cannot be taken back, so ask first.
        return with_code(render(request, "attendee/cancel_confirm.html", {
            "booking": booking, "seminar": booking.seminar, "conference": booking.seminar.conference,
            "next": target, "nav": "me",
        }), "confirm_needed")
    if booking.status != BookingStatus.CANCELLED:
        try:
            booking_service.cancel_booking(booking=booking)
        except AppError as error:
            messages.error(request, error.message)
            return _answer(request, target, error.code, error.message, refused=True)
    text = _("Your booking for “%(title)s” is cancelled.") % {"title": booking.seminar.title}
    messages.success(request, text)
    return _answer(request, target, BookingStatus.CANCELLED, text)


@login_required
def delegation_new(request, conference):
    conf = get_public_conference(conference)
    form = DelegationForm(request.POST or None, initial=_coordinator_organisation(request, conf))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            delegation = registration_service.register_delegation(
                coordinator=request.user, conference=conf, organisation_name=data["organisation_name"],
                members=data["members"], organisation_type=data["organisation_type"],
                municipality=data["municipality"], region=data["region"], category=data["category"],
                language=data["language"],
            )
        except registration_service.RegistrationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(n)d colleagues are registered. Each gets an email to claim their place.")
                             % {"n": len(data["members"])})
            return redirect("registration:delegation", conference=conf.slug, public_id=delegation.public_id)
    return render(request, "attendee/delegation_new.html", {"conference": conf, "form": form, "nav": "me"})


def _coordinator_organisation(request, conf) -> dict:
    """A new delegation's form starts from the coordinator's own registration (organisation, category)."""
    initial = {"language": request.LANGUAGE_CODE}
    own = selectors.registration_for(request.user, conf, lean=True)
    if own is not None:
        initial.update(organisation_type=own.organisation_type, municipality=own.municipality_id,
                       region=own.region_id, organisation_name=own.organisation_name, category=own.category)
    return initial


def _own_delegation(request, conference, public_id):
    conf = get_public_conference(conference)
    delegation = selectors.coordinated_delegation(request.user, conf, public_id)
    if delegation is None:
        raise Http404("No such delegation")
    return conf, delegation


@login_required
def delegation(request, conference, public_id):
    conf, delegation = _own_delegation(request, conference, public_id)
    members = selectors.delegation_members(delegation)
    active = sum(1 for member in members if member.is_active)
    return render(request, "attendee/delegation.html", {
        "conference": conf, "delegation": delegation, "members": members, "active": active,
        "can_add": active < registration_service.MAX_DELEGATION, "max": registration_service.MAX_DELEGATION,
        "can_replace": registration_service.can_replace_delegates(conf), "nav": "me",
    })


def _back_to_delegation(conf, delegation, code):
    return with_code(redirect("registration:delegation", conference=conf.slug, public_id=delegation.public_id), code)


@login_required
def delegation_add(request, conference, public_id):
    """Add colleagues to an existing delegation (up to MAX_DELEGATION active members)."""
    conf, delegation = _own_delegation(request, conference, public_id)
    form = AddMembersForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = registration_service.add_delegation_members(delegation=delegation,
                                                                members=form.cleaned_data["members"])
        except registration_service.RegistrationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, ngettext(
                "%(n)d colleague was added and gets an email to claim the place.",
                "%(n)d colleagues were added. Each gets an email to claim their place.", len(added),
            ) % {"n": len(added)})
            return _back_to_delegation(conf, delegation, "added")
    return render(request, "attendee/delegation_add.html", {
        "conference": conf, "delegation": delegation, "form": form, "nav": "me",
        "active": delegation.members.filter(status=RegistrationStatus.ACTIVE).count(),
        "max": registration_service.MAX_DELEGATION,
    })


@login_required
def delegation_cancel_member(request, conference, public_id, member):
    """Ask first; on "yes" the member's place is cancelled without a replacement."""
    conf, delegation = _own_delegation(request, conference, public_id)
    registration = get_object_or_404(delegation.members, public_id=member, status=RegistrationStatus.ACTIVE)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            registration_service.cancel_delegate(delegation=delegation, registration=registration)
        except AppError as error:
            messages.error(request, error.message)
            return _back_to_delegation(conf, delegation, error.code)
        messages.success(request, _("%(name)s's place is cancelled and their seats were released.")
                         % {"name": registration.name})
        return _back_to_delegation(conf, delegation, "cancelled")
    return with_code(render(request, "attendee/delegation_cancel_member.html", {
        "conference": conf, "delegation": delegation, "member": registration, "nav": "me",
        "seats": registration.bookings.filter(status=BookingStatus.CONFIRMED).count(),
    }), "confirm_needed")


@require_POST
@login_required
def delegation_resend(request, conference, public_id, member):
    """Send an unclaimed member a new claim link (the old one stops working)."""
    conf, delegation = _own_delegation(request, conference, public_id)
    registration = get_object_or_404(delegation.members, public_id=member, status=RegistrationStatus.ACTIVE)
    try:
        registration_service.resend_claim(delegation=delegation, registration=registration)
    except AppError as error:
        messages.error(request, error.message)
        return _back_to_delegation(conf, delegation, error.code)
    messages.success(request, _("A new link was emailed to %(name)s (%(email)s). The earlier link no longer works.")
                     % {"name": registration.name, "email": registration.email})
    return _back_to_delegation(conf, delegation, "resent")


@login_required
def delegation_member_seats(request, conference, public_id, member):
    """The coordinator books (or cancels) seats for a member who has not claimed the place yet; after
    claiming, the member sees them in My programme and can change them."""
    conf, delegation = _own_delegation(request, conference, public_id)
    registration = get_object_or_404(delegation.members.select_related("conference"), public_id=member,
                                     status=RegistrationStatus.ACTIVE)
    try:
        registration_service.bookable_by_coordinator(delegation=delegation, registration=registration)
    except AppError as error:
        messages.error(request, error.message)
        return _back_to_delegation(conf, delegation, error.code)
    if request.method == "POST":
        return _member_seat_action(request, conf, delegation, registration)
    return render(request, "attendee/delegation_seats.html", {
        "conference": conf, "delegation": delegation, "member": registration,
        "days": selectors.seminars_for_member(registration), "nav": "me",
    })


def _member_seat_action(request, conf, delegation, registration):
    target = reverse("registration:delegation_seats", args=[conf.slug, delegation.public_id, registration.public_id])
    try:
        seminar = find_public_seminar(conf.slug, request.POST.get("seminar", "")[:20])
    except Http404:
        seminar = None
    if seminar is None or request.POST.get("action") not in ("book", "cancel"):
        messages.error(request, _("Choose a seminar from the list."))
        return with_code(HttpResponseRedirect(target), "invalid")
    try:
        if request.POST["action"] == "book":
            booking = booking_service.book_seat(registration=registration, seminar=seminar)
            if booking.status == BookingStatus.CONFIRMED:
                text = _("%(name)s has a seat in “%(title)s”.")
            else:
                text = _("“%(title)s” is full: %(name)s is in line.")
            outcome = booking.status
        else:
            booking = Booking.objects.filter(registration=registration, seminar=seminar).first()
            if booking is not None:
                booking_service.cancel_booking(booking=booking)
            text, outcome = _("%(name)s's booking for “%(title)s” is cancelled."), BookingStatus.CANCELLED
    except AppError as error:
        messages.error(request, error.message)
        return with_code(HttpResponseRedirect(target), error.code)
    messages.success(request, text % {"name": registration.name, "title": seminar.title})
    return with_code(HttpResponseRedirect(target), outcome)


@never_cache
@login_required
@require_GET
def delegation_badges(request, conference, public_id):
    """The active members' badges in one A4 PDF (four to a sheet) for the coordinator to print. Organisers'
    "printed" marks are left alone: they print their own batch."""
    conf, delegation = _own_delegation(request, conference, public_id)
    people = list(delegation.members.filter(status=RegistrationStatus.ACTIVE)
                  .select_related("conference", "municipality", "region").order_by("name", "pk"))
    if not people:
        raise Http404("No active members")
    badges = current_badges(people)
    out = io.BytesIO()
    render_badges((badge_data(person, badges[person.pk]) for person in people), out, layout=LAYOUT_A4,
                  total=len(people), title=conf.name)
    response = HttpResponse(out.getvalue(), content_type="application/pdf")
    filename = f"badges-{conf.slug}-{slugify(delegation.organisation_name) or 'delegation'}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def delegation_replace(request, conference, public_id, member):
    conf, delegation = _own_delegation(request, conference, public_id)
    registration = get_object_or_404(delegation.members, public_id=member, status=RegistrationStatus.ACTIVE)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration_service.replace_delegate(
                delegation=delegation, registration=registration,
                member=registration_service.Member(**form.cleaned_data),
            )
        except registration_service.RegistrationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(old)s's place now belongs to %(new)s, who gets an email to claim it.")
                             % {"old": registration.name, "new": form.cleaned_data["name"]})
            return redirect("registration:delegation", conference=conf.slug, public_id=delegation.public_id)
    return render(request, "attendee/delegation_replace.html", {
        "conference": conf, "delegation": delegation, "member": registration, "form": form, "nav": "me",
    })


def claim(request, token):
    """A delegation member's link: log in or set a password, then the registration becomes theirs."""
    registration = registration_service.registration_for_claim(token)
    if registration is None:
        return render(request, "attendee/claim_invalid.html", status=404)
    conf = registration.conference
    User = get_user_model()
    existing_account = User.objects.filter(email__iexact=registration.email).exists()
    form = ClaimSignupForm(request.POST or None) if not request.user.is_authenticated and not existing_account \
        else None
    already_registered = request.user.is_authenticated and selectors.registration_for(request.user, conf)
    if request.method == "POST" and not already_registered and (
        request.user.is_authenticated or (form is not None and form.is_valid())
    ):
        try:
            with transaction.atomic():  # a new account is kept only if the claim succeeds
                user = request.user if request.user.is_authenticated else _create_verified_user(
                    registration.email, form.cleaned_data["password1"]
                )
                registration_service.claim_registration(token=token, user=user)
        except registration_service.RegistrationError as error:
            messages.error(request, error.message)
            return redirect("programme:conference", conference=conf.slug)
        if not request.user.is_authenticated:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your place at %(conference)s is yours. Book your seminars below.")
                         % {"conference": conf.name})
        return redirect("registration:my_programme", conference=conf.slug)
    return render(request, "attendee/claim.html", {
        "conference": conf, "registration": registration, "form": form, "existing_account": existing_account,
        "already_registered": already_registered,
        "login_url": f"{reverse('account_login')}?next={request.path}",
    })


def _create_verified_user(email: str, password: str):
    """The claim link proved the address, so the account starts verified."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user = User.objects.create_user(username=f"u{secrets.token_hex(8)}", email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def item_panel(request, seminar):
    """On the page of an item for everyone (a plenary, a break, exhibition hours): its stream link for a
    registered attendee, when it is streamed; otherwise nothing. No place to book: anyone may watch."""
    if not seminar.is_streamed or not request.user.is_authenticated:
        return None
    link = selectors.stream_link_for(selectors.registration_for(request.user, seminar.conference, lean=True), seminar)
    return {"template": "attendee/_item_panel.html", "stream_url": link} if link else None


def seminar_panel(request, seminar):
    """The booking box on a seminar page (plugged into the programme through its bookings port)."""
    counts = booking_service.seat_counts([seminar.pk]).get(seminar.pk, {"confirmed": 0, "waitlisted": 0})
    registration = selectors.registration_for(request.user, seminar.conference)
    booking = fallback = None
    if registration is not None:
        booking = Booking.objects.filter(registration=registration, seminar=seminar).first()
        if booking is not None and booking.status == BookingStatus.WAITLISTED:
            booking.position = booking_service.waitlist_position(booking)
        if booking is None or booking.status != BookingStatus.CONFIRMED:
            # The seat they hold at the same time: released if this line gives them a seat.
            fallback = (
                booking_service.overlapping_bookings(registration.pk, seminar, statuses=[BookingStatus.CONFIRMED])
                .select_related("seminar").first()
            )
    now = booking_service.current_time()
    return {
        "template": "attendee/_seminar_panel.html",
        "digital": registration is not None and booking_service.is_digital(registration),
        "stream_url": selectors.stream_link_for(registration, seminar),
        "ended": now >= seminar.end,
        "free": max(seminar.capacity - counts["confirmed"], 0),
        "waitlisted": counts["waitlisted"],
        "registration": registration,
        "booking": booking if booking is None or booking.status != BookingStatus.CANCELLED else None,
        "fallback": fallback.seminar if fallback else None,
        "booking_open": registration is not None and seminar.conference.booking_opens_at is not None,
        "started": now >= seminar.start,
    }


def day_seat_status(conference, day):
    """Live seat counts under a day's programme (plugged in through sessions.hooks; the list itself is cached)."""
    return {
        "template": "attendee/_seat_status.html",
        "seats": selectors.seat_status_for_day(conference, day),
        "labels": {
            "free_one": _("1 seat free"), "free_other": _("%(n)s seats free"),
            "full": _("Full"), "full_line": _("Full, %(n)s in line"),
        },
    }
