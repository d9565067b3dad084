"""API views: thin, over the apps' selectors and services. Every GET answer carries an ETag (304 on a match);
every request made with a token is logged (api.services.record_use)."""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta

from django.http import Http404, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from common.errors import with_code
from registration.models import Booking, BookingStatus, Registration, Scan
from registration.services.booking import book_seat, cancel_booking, waitlist_position
from sessions.models import LOCAL_TZ, Seminar
from sessions.ports import bookings
from sessions.selectors import get_public_conference, public_seminars, public_speakers, published_conferences

from . import serializers as api
from .models import ApiToken, Scope
from .permissions import HasScope
from .services import record_use


class ApiView(generics.GenericAPIView):
    # ETags on GET answers, and the token use log. (No docstring: the schema would show it on every operation.)

    filter_serializer: type[serializers.Serializer] | None = None

    def initial(self, request, *args, **kwargs):
        # Programs say which language they want in Accept-Language (the site's pages follow the switch only).
        translation.activate(translation.get_language_from_request(request._request))
        request._request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        token = getattr(request, "_auth", None)
        patch_vary_headers(response, ["Authorization", "Accept-Language"])
        response.setdefault("Content-Language", translation.get_language())
        if request.method in ("GET", "HEAD") and response.status_code == status.HTTP_200_OK:
            response = self._conditional(request, response)
        if isinstance(token, ApiToken):
            response["Cache-Control"] = "private, no-cache"
            match = request.resolver_match
            record_use(token=token, method=request.method, operation=match.url_name if match else "",
                       status=response.status_code)
        else:
            response.setdefault("Cache-Control", "no-cache")
        return response

    @staticmethod
    def _conditional(request, response):
        response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        if etag in [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]:
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            patch_vary_headers(not_modified, ["Authorization", "Accept-Language"])
            return not_modified
        response["ETag"] = etag
        return response

    def filters(self) -> dict:
        """The query string's filters, validated (400 with `fields` when not)."""
        if self.filter_serializer is None:
            return {}
        parsed = self.filter_serializer(data=self.request.query_params)
        parsed.is_valid(raise_exception=True)
        return parsed.validated_data


@csrf_exempt  # changes nothing, and must answer JSON to a POST too
def not_found(request, *args, **kwargs):
    translation.activate(translation.get_language_from_request(request))
    response = JsonResponse({"code": "not_found", "detail": str(NotFound.default_detail)}, status=404)
    response["Content-Language"] = translation.get_language()
    return with_code(response, "not_found")


def _day_bounds(conference, day) -> tuple[datetime, datetime] | None:
    if day not in conference.days:
        return None
    start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    return start, start + timedelta(days=1)


# The public programme -------------------------------------------------------------------------------------


class PublicView(ApiView):
    permission_classes: list = []

    def conference(self):
        if not hasattr(self, "_conference"):
            self._conference = get_public_conference(self.kwargs["conference"])
        return self._conference


@extend_schema(tags=["programme"], summary="Published conferences")
class ConferenceList(PublicView, generics.ListAPIView):
    serializer_class = api.ConferenceSerializer

    def get_queryset(self):
        return published_conferences()


@extend_schema(tags=["programme"], summary="A published conference")
class ConferenceDetail(PublicView, generics.RetrieveAPIView):
    serializer_class = api.ConferenceSerializer

    def get_object(self):
        return self.conference()


@extend_schema(tags=["programme"], summary="A conference's tracks")
class TrackList(PublicView, generics.ListAPIView):
    serializer_class = api.TrackSerializer

    def get_queryset(self):
        return self.conference().tracks.order_by("order", "name")


@extend_schema(tags=["programme"], summary="A conference's rooms")
class RoomList(PublicView, generics.ListAPIView):
    serializer_class = api.RoomSerializer

    def get_queryset(self):
        return self.conference().rooms.order_by("order", "name")


class SeminarMixin:
    def get_serializer_context(self):
        context = super().get_serializer_context()
        conference = self.conference()
        context["seminar_url"] = self.request.build_absolute_uri(
            reverse("programme:seminar", kwargs={"conference": conference.slug, "code": "SEMINARCODE0"})
        )
        context["counts"] = getattr(self, "_counts", {})
        return context

    def with_counts(self, seminars):
        seminars = list(seminars)
        self._counts = bookings().counts([seminar.pk for seminar in seminars])
        return seminars


@extend_schema(tags=["programme"], summary="A conference's published and cancelled seminars, with live seats",
               parameters=[api.SeminarFilter])
class SeminarList(SeminarMixin, PublicView, generics.ListAPIView):
    serializer_class = api.SeminarSerializer
    filter_serializer = api.SeminarFilter

    def get_queryset(self):
        conference = self.conference()
        filters = self.filters()
        seminars = public_seminars(conference).select_related(None).select_related("room", "track")
        if "day" in filters:
            bounds = _day_bounds(conference, filters["day"])
            seminars = seminars.filter(start__gte=bounds[0], start__lt=bounds[1]) if bounds else seminars.none()
        if "track" in filters:
            seminars = seminars.filter(track__slug=filters["track"])
        if "room" in filters:
            seminars = seminars.filter(room_id=filters["room"])
        if "changed_since" in filters:
            seminars = seminars.filter(updated_at__gte=filters["changed_since"])
        return seminars

    def list(self, request, *args, **kwargs):
        page = self.with_counts(self.paginate_queryset(self.get_queryset()))
        for seminar in page:
            seminar.conference = self.conference()
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["programme"], summary="A published or cancelled seminar, with live seats")
class SeminarDetail(SeminarMixin, PublicView, generics.RetrieveAPIView):
    serializer_class = api.SeminarSerializer

    def get_object(self):
        seminar = get_object_or_404(public_seminars(self.conference()), code=self.kwargs["code"].upper())
        self.with_counts([seminar])
        return seminar


@extend_schema(tags=["programme"], summary="Speakers of public seminars")
class SpeakerList(PublicView, generics.ListAPIView):
    serializer_class = api.SpeakerSerializer

    def get_queryset(self):
        return public_speakers(self.conference())


@extend_schema(tags=["programme"], summary="A speaker of public seminars")
class SpeakerDetail(PublicView, generics.RetrieveAPIView):
    serializer_class = api.SpeakerSerializer

    def get_object(self):
        return get_object_or_404(public_speakers(self.conference()), slug=self.kwargs["slug"])


# The organisers' API: a token's own conference only ------------------------------------------------------


class OrganiserView(ApiView):
    # Needs a token with `required_scope` (per method in `scopes`); another conference than the token's
    # answers 404, as if it did not exist.

    permission_classes = [HasScope]
    scopes: dict[str, str] = {}

    @property
    def required_scope(self) -> str:
        return self.scopes.get(self.request.method, self.scopes.get("GET", ""))

    def conference(self):
        token = self.request.auth
        if token.conference.slug != self.kwargs["conference"]:
            raise Http404
        return token.conference


@extend_schema(tags=["registrations"], summary="Registrations (scope registrations:read)",
               parameters=[api.RegistrationFilter])
class RegistrationList(OrganiserView, generics.ListAPIView):
    serializer_class = api.RegistrationSerializer
    filter_serializer = api.RegistrationFilter
    scopes = {"GET": Scope.REGISTRATIONS_READ}

    def get_queryset(self):
        filters = self.filters()
        registrations = (
            Registration.objects.filter(conference=self.conference())
            .select_related("municipality", "region", "delegation").order_by("created_at", "id")
        )
        if "status" in filters:
            registrations = registrations.filter(status=filters["status"])
        if "changed_since" in filters:
            registrations = registrations.filter(updated_at__gte=filters["changed_since"])
        return registrations


@extend_schema(tags=["registrations"], summary="A registration (scope registrations:read)")
class RegistrationDetail(OrganiserView, generics.RetrieveAPIView):
    serializer_class = api.RegistrationSerializer
    scopes = {"GET": Scope.REGISTRATIONS_READ}

    def get_object(self):
        return get_object_or_404(
            Registration.objects.select_related("municipality", "region", "delegation"),
            conference=self.conference(), public_id=self.kwargs["public_id"],
        )


def _bookings_of(conference):
    return (
        Booking.objects.filter(seminar__conference=conference)
        .select_related("registration", "seminar").order_by("queued_at", "id")
    )


@extend_schema_view(
    get=extend_schema(tags=["bookings"], summary="Bookings (scope bookings:read)", parameters=[api.BookingFilter]),
    post=extend_schema(
        tags=["bookings"], summary="Book a seat for an attendee (scope bookings:write)",
        description="The same rules as booking on the site: a confirmed seat, or a place in line when the seminar "
                    "is full. Asking again for a seminar already booked answers that booking. The attendee is "
                    "emailed. Refusals answer 409 with the booking's code (full, overlap, started, …); busy "
                    "answers 503.",
        request=api.BookRequestSerializer, responses={201: api.BookedSerializer},
    ),
)
class BookingList(OrganiserView, generics.ListCreateAPIView):
    serializer_class = api.BookingSerializer
    filter_serializer = api.BookingFilter
    scopes = {"GET": Scope.BOOKINGS_READ, "POST": Scope.BOOKINGS_WRITE}

    def get_queryset(self):
        filters = self.filters()
        rows = _bookings_of(self.conference())
        if "seminar" in filters:
            rows = rows.filter(seminar__code=filters["seminar"].upper())
        if "registration" in filters:
            rows = rows.filter(registration__public_id=filters["registration"])
        if "status" in filters:
            rows = rows.filter(status=filters["status"])
        if "changed_since" in filters:
            rows = rows.filter(updated_at__gte=filters["changed_since"])
        return rows

    def create(self, request, *args, **kwargs):
        conference = self.conference()
        asked = api.BookRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        registration = Registration.objects.filter(
            conference=conference, public_id=asked.validated_data["registration"]
        ).first()
        seminar = (
            Seminar.objects.public().select_related("conference", "room")
            .filter(conference=conference, code=asked.validated_data["seminar"].upper()).first()
        )
        problems = {}
        if registration is None:
            problems["registration"] = [_("No such registration in this conference.")]
        if seminar is None:
            problems["seminar"] = [_("No such seminar in this conference.")]
        if problems:
            raise ValidationError(problems)
        booking = book_seat(registration=registration, seminar=seminar, waitlist=asked.validated_data["waitlist"])
        booking.position = getattr(booking, "position", None)
        if booking.position is None and booking.status == BookingStatus.WAITLISTED:  # asked again
            booking.position = waitlist_position(booking)
        return Response(api.BookedSerializer(booking).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["bookings"], summary="A booking (scope bookings:read)")
class BookingDetail(OrganiserView, generics.RetrieveAPIView):
    serializer_class = api.BookingSerializer
    scopes = {"GET": Scope.BOOKINGS_READ}

    def get_object(self):
        return get_object_or_404(_bookings_of(self.conference()), public_id=self.kwargs["public_id"])


@extend_schema(tags=["bookings"], summary="Cancel a booking for an attendee (scope bookings:write)",
               description="Frees the seat, which goes to the first in line; everyone concerned is emailed. "
                           "Cancelling a cancelled booking changes nothing.",
               request=None, responses={200: api.CancelledSerializer})
class BookingCancel(OrganiserView):
    serializer_class = api.CancelledSerializer
    scopes = {"POST": Scope.BOOKINGS_WRITE}

    def post(self, request, *args, **kwargs):
        booking = get_object_or_404(_bookings_of(self.conference()), public_id=self.kwargs["public_id"])
        promoted = cancel_booking(booking=booking)
        booking.refresh_from_db()
        return Response({"booking": api.BookingSerializer(booking).data, "promoted": len(promoted)})


@extend_schema(tags=["bookings"], summary="A seminar's line, first first (scope bookings:read)")
class SeminarLine(OrganiserView, generics.ListAPIView):
    serializer_class = api.PlaceInLineSerializer
    scopes = {"GET": Scope.BOOKINGS_READ}

    def get_queryset(self):
        seminar = get_object_or_404(Seminar.objects.filter(conference=self.conference()),
                                    code=self.kwargs["code"].upper())
        return _bookings_of(self.conference()).filter(seminar=seminar, status=BookingStatus.WAITLISTED)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        first = self.paginator.page.start_index() if page else 1
        for offset, booking in enumerate(page):
            booking.position = first + offset
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["check-ins"], summary="Door scans, oldest first (scope checkins:read)",
               parameters=[api.CheckInFilter])
class CheckInList(OrganiserView, generics.ListAPIView):
    serializer_class = api.CheckInSerializer
    filter_serializer = api.CheckInFilter
    scopes = {"GET": Scope.CHECKINS_READ}

    def get_queryset(self):
        filters = self.filters()
        scans = Scan.objects.filter(conference=self.conference()).select_related("registration", "seminar")
        if "checkpoint" in filters:
            scans = scans.filter(checkpoint=filters["checkpoint"])
        if "verdict" in filters:
            scans = scans.filter(verdict=filters["verdict"])
        if "since" in filters:
            scans = scans.filter(at__gte=filters["since"])
        return scans.order_by("at", "id")

