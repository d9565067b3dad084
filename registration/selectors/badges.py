"""Finding whose badge to reissue: active registrations and badge-holding speakers by name or email."""

from django.db.models import Q

from sessions.models import Conference, SeminarStatus, Speaker

from ..models import Registration, RegistrationStatus

SHOWN = 20  # matches listed at most; a longer list asks for more of the name


def badge_speakers_of(conference: Conference):
    """The speakers who get a badge: those in at least one published (not cancelled) seminar (a queryset)."""
    return Speaker.objects.filter(conference=conference, seminars__status=SeminarStatus.PUBLISHED).distinct()


def badge_holders(conference: Conference, query: str) -> tuple[list[Registration], list[Speaker], bool]:
    """Active registrations whose name or email contains `query`, and speakers of published seminars whose
    name does (the people who have a badge to lose), by name; at most SHOWN of each, and whether there were
    more. Two queries; nothing for a query under two characters."""
    query = " ".join(query.split())
    if len(query) < 2:
        return [], [], False
    registrations = list(
        Registration.objects.filter(conference=conference, status=RegistrationStatus.ACTIVE)
        .filter(Q(name__icontains=query) | Q(email__icontains=query))
        .select_related("municipality", "region").order_by("name", "pk")[: SHOWN + 1]
    )
    speakers = list(badge_speakers_of(conference).filter(name__icontains=query).order_by("name", "pk")[: SHOWN + 1])
    more = len(registrations) > SHOWN or len(speakers) > SHOWN
    return registrations[:SHOWN], speakers[:SHOWN], more
