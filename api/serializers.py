"""What the API shows of each noun. Seminars carry live seat counts from the bookings port; personal data is
limited to what an integration needs (no accessibility needs, no door staff, no raw codes)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registration.models import Booking, BookingStatus, Registration, Scan
from sessions.models import Conference, Room, Seminar, Speaker, Track

MAX_ID = 2**62  # above this no row exists, and SQLite cannot even compare with it


class ConferenceSerializer(serializers.ModelSerializer):
    days = serializers.ListField(child=serializers.DateField(), read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Conference
        fields = ["slug", "name", "venue", "venue_address", "first_day", "last_day", "days", "booking_opens_at",
                  "programme_changed_at", "url"]

    def get_url(self, conference) -> str:
        return self.context["request"].build_absolute_uri(conference.get_absolute_url())


class TrackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Track
        fields = ["slug", "name", "colour", "order"]


class RoomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "name", "capacity", "accessibility_notes", "order"]


class SpeakerNameSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class SeatsSerializer(serializers.Serializer):
    capacity = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    watching = serializers.IntegerField(help_text="Watch places: digital participants following the stream.")
    free = serializers.IntegerField()


class SeminarSerializer(serializers.ModelSerializer):
    """Needs context["counts"] (the port's seat counts by seminar id) and context["seminar_url"] (a page URL
    with SEMINARCODE0 in place of the code)."""

    track = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    room = serializers.PrimaryKeyRelatedField(read_only=True)
    speakers = serializers.SerializerMethodField()
    seats = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Seminar
        fields = ["code", "uid", "kind", "title", "abstract", "language", "status", "cancellation_reason", "track",
                  "room", "start", "end", "revision", "updated_at", "speakers", "seats", "url"]

    @extend_schema_field(SpeakerNameSerializer(many=True))
    def get_speakers(self, seminar):
        return [{"slug": link.speaker.slug, "name": link.speaker.name} for link in seminar.ordered_speakers]

    @extend_schema_field(SeatsSerializer(allow_null=True))
    def get_seats(self, seminar):
        """None for a plenary, break or exhibition: there are no seats to book."""
        if not seminar.is_bookable:
            return None
        count = self.context["counts"].get(seminar.pk)
        confirmed, waitlisted, watching = (count.confirmed, count.waitlisted, count.watching) if count else (0, 0, 0)
        return {"capacity": seminar.capacity, "confirmed": confirmed, "waitlisted": waitlisted, "watching": watching,
                "free": max(seminar.capacity - confirmed, 0)}

    def get_url(self, seminar) -> str:
        return self.context["seminar_url"].replace("SEMINARCODE0", seminar.code)


class SpeakerSerializer(serializers.ModelSerializer):
    seminars = serializers.SerializerMethodField()

    class Meta:
        model = Speaker
        fields = ["slug", "name", "title", "organisation", "bio", "seminars"]

    def get_seminars(self, speaker) -> list[str]:
        """The codes of the speaker's public seminars, in time order."""
        return [seminar.code for seminar in speaker.public_seminars]


class SeminarFilter(serializers.Serializer):
    day = serializers.DateField(required=False, help_text="A day of the conference (local date).")
    track = serializers.SlugField(required=False, help_text="A track's slug.")
    room = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="A room's id.")
    changed_since = serializers.DateTimeField(
        required=False, help_text="Only seminars changed at or after this moment (ISO 8601, with offset)."
    )


class RegistrationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    organisation = serializers.CharField(read_only=True)
    delegation = serializers.SlugRelatedField(slug_field="public_id", read_only=True, allow_null=True)

    class Meta:
        model = Registration
        fields = ["id", "name", "email", "organisation", "organisation_type", "category", "language", "status",
                  "delegation", "created_at", "claimed_at", "cancelled_at", "updated_at"]


class RegistrationFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=Registration._meta.get_field("status").choices, required=False)
    changed_since = serializers.DateTimeField(
        required=False,
        help_text="Only registrations made or changed (edited, claimed, cancelled, erased) at or after this moment. "
                  "A renamed municipality or region does not count as a change of its registrations.",
    )


class BookingSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    registration = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    seminar = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Booking
        fields = ["id", "registration", "seminar", "status", "queued_at", "confirmed_at", "cancelled_at",
                  "released_reason", "updated_at"]


class PlaceInLineSerializer(BookingSerializer):
    position = serializers.IntegerField(read_only=True, help_text="1 for the first in line.")

    class Meta(BookingSerializer.Meta):
        fields = ["position", *BookingSerializer.Meta.fields]


class BookedSerializer(BookingSerializer):
    position = serializers.IntegerField(read_only=True, allow_null=True,
                                        help_text="The place in line when waitlisted, else null.")

    class Meta(BookingSerializer.Meta):
        fields = [*BookingSerializer.Meta.fields, "position"]


class CancelledSerializer(serializers.Serializer):
    booking = BookingSerializer()
    promoted = serializers.IntegerField(help_text="How many people the freed seat went to from the line.")


class BookingFilter(serializers.Serializer):
    seminar = serializers.CharField(required=False, max_length=12, help_text="A seminar's code.")
    registration = serializers.UUIDField(required=False, help_text="A registration's id.")
    status = serializers.ChoiceField(choices=BookingStatus.choices, required=False)
    changed_since = serializers.DateTimeField(required=False, help_text="Only bookings changed at or after this.")


class BookRequestSerializer(serializers.Serializer):
    registration = serializers.UUIDField(help_text="The attendee's registration id.")
    seminar = serializers.CharField(max_length=12, help_text="The seminar's code.")
    waitlist = serializers.BooleanField(
        default=True, help_text="Take a place in line when the seminar is full (false: answer 409 full)."
    )


class CheckInSerializer(serializers.ModelSerializer):
    registration = serializers.SlugRelatedField(slug_field="public_id", read_only=True, allow_null=True)
    seminar = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Scan
        fields = ["id", "checkpoint", "seminar", "registration", "verdict", "walk_in", "at"]


class CheckInFilter(serializers.Serializer):
    checkpoint = serializers.CharField(required=False, max_length=64)
    verdict = serializers.ChoiceField(choices=Scan._meta.get_field("verdict").choices, required=False)
    since = serializers.DateTimeField(required=False, help_text="Only scans at or after this moment.")
