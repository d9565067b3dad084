"""Feedback results: per seminar and per track for organisers, and a speaker's own seminars as aggregates
only, hidden below a few answers so that no one can be picked out. Never a name."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Lower

from sessions.models import Conference, Seminar, SeminarStatus, Speaker, Track

from ..models import FEEDBACK_KINDS, Feedback


def min_answers() -> int:
    """Below this many answers a speaker sees no figures at all (FEEDBACK_MIN_ANSWERS, default 3)."""
    return max(int(getattr(settings, "FEEDBACK_MIN_ANSWERS", 3)), 1)


@dataclass
class Aggregate:
    """Answers, their mean, and how many gave each rating 1–5."""

    counts: list[int] = field(default_factory=lambda: [0] * 5)

    def add(self, rating: int) -> None:
        self.counts[rating - 1] += 1

    @property
    def answers(self) -> int:
        return sum(self.counts)

    @property
    def average(self) -> float | None:
        if not self.answers:
            return None
        return sum(rating * n for rating, n in zip(range(1, 6), self.counts, strict=True)) / self.answers

    @property
    def distribution(self) -> list[tuple[int, int]]:
        return list(zip(range(1, 6), self.counts, strict=True))


@dataclass
class SeminarFeedback:
    seminar: Seminar
    aggregate: Aggregate
    comments: list[str] = field(default_factory=list)


@dataclass
class TrackFeedback:
    track: Track
    aggregate: Aggregate


@dataclass
class ConferenceFeedback:
    seminars: list[SeminarFeedback]
    tracks: list[TrackFeedback]
    total: Aggregate


def conference_feedback(conference: Conference) -> ConferenceFeedback:
    """Every published seminar with its aggregate and comments (newest first, no names), every track with
    the aggregate of its seminars, and the conference's. Two queries whatever the size."""
    seminars = list(
        Seminar.objects.filter(conference=conference, status=SeminarStatus.PUBLISHED, kind__in=FEEDBACK_KINDS)
        .select_related("track", "room").order_by("start", "room__order", "pk")
    )
    by_seminar = {s.pk: SeminarFeedback(s, Aggregate()) for s in seminars}
    by_track: dict[int, TrackFeedback] = {}
    total = Aggregate()
    rows = (Feedback.objects.filter(seminar__in=list(by_seminar)).order_by("-created_at", "-pk")
            .values_list("seminar_id", "rating", "comment"))
    for seminar_id, rating, comment in rows:
        result = by_seminar[seminar_id]
        result.aggregate.add(rating)
        if comment:
            result.comments.append(comment)
        track = result.seminar.track
        if track is not None:  # a plenary may belong to no track: it counts in the total only
            by_track.setdefault(track.pk, TrackFeedback(track, Aggregate())).aggregate.add(rating)
        total.add(rating)
    for seminar in seminars:  # tracks without answers are listed too
        if seminar.track_id is not None:
            by_track.setdefault(seminar.track_id, TrackFeedback(seminar.track, Aggregate()))
    tracks = sorted(by_track.values(), key=lambda t: (t.track.order, t.track.name))
    return ConferenceFeedback(seminars=list(by_seminar.values()), tracks=tracks, total=total)


def speakers_of_user(user, conference: Conference) -> list[Speaker]:
    """The conference's speaker rows that are this user: linked to the account by an organiser, or with an
    email the user has verified (allauth). Empty for anyone else."""
    if not user.is_authenticated:
        return []
    from allauth.account.models import EmailAddress

    verified = [e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email",
                                                                                                    flat=True)]
    # Speaker emails are typed by organisers in any case: compare them lower-cased.
    match = Q(user=user) | (Q(email_lower__in=verified) & ~Q(email="")) if verified else Q(user=user)
    speakers = Speaker.objects.filter(conference=conference).annotate(email_lower=Lower("email")).filter(match)
    return list(speakers.order_by("name"))


@dataclass
class SpeakerSeminarFeedback:
    seminar: Seminar
    answers: int
    aggregate: Aggregate | None  # None while there are fewer than min_answers() answers


def speaker_feedback(speakers: list[Speaker]) -> list[SpeakerSeminarFeedback]:
    """The published seminars of `speakers` with their aggregate, or only the count while it is below
    min_answers(). No comments and no names. Two queries."""
    seminars = list(
        Seminar.objects.filter(seminar_speakers__speaker__in=speakers, status=SeminarStatus.PUBLISHED)
        .select_related("room").distinct().order_by("start", "pk")
    )
    aggregates = {s.pk: Aggregate() for s in seminars}
    for seminar_id, rating in Feedback.objects.filter(seminar__in=seminars).values_list("seminar_id", "rating"):
        aggregates[seminar_id].add(rating)
    threshold = min_answers()
    return [
        SpeakerSeminarFeedback(seminar=s, answers=aggregates[s.pk].answers,
                               aggregate=aggregates[s.pk] if aggregates[s.pk].answers >= threshold else None)
        for s in seminars
    ]
