"""The public changelog: what changed in each programme release, as a page and as an Atom feed.

Both read only release snapshots (sessions.releases), so drafts never appear and a release shows what was
public when it was published. `change_lines` is the one wording of a change, shared with the emails.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from . import selectors
from .feeds import calendar_response, feed_version
from .models import LOCAL_TZ
from .releases import Change, SeminarChange, SeminarState, changes_between, releases_of

FEED_RELEASES = 20  # the newest releases an Atom feed carries


def _when(state: SeminarState) -> str:
    start, end = timezone.localtime(state.start, LOCAL_TZ), timezone.localtime(state.end, LOCAL_TZ)
    return f"{formats.date_format(start, 'l j F')} {start:%H:%M}–{end:%H:%M}, {state.room}"


def kind_label(kind: Change) -> str:
    return {
        Change.NEW: _("New"),
        Change.MOVED: _("Moved"),
        Change.CANCELLED: _("Cancelled"),
        Change.REMOVED: _("Removed from the programme"),
        Change.RETITLED: _("New title"),
        Change.SPEAKERS: _("Speakers changed"),
    }[kind]


def change_lines(change: SeminarChange) -> list[str]:
    """The change in words, one line per kind, in the active language."""
    old, new = change.before, change.after
    lines = []
    for kind in change.ordered_kinds():
        if kind == Change.NEW:
            lines.append(_("New: %(when)s") % {"when": _when(new)})
        elif kind == Change.MOVED:
            lines.append(_("Moved from %(old)s to %(new)s") % {"old": _when(old), "new": _when(new)})
        elif kind == Change.CANCELLED:
            lines.append(_("Cancelled (was %(when)s)") % {"when": _when(new)})
        elif kind == Change.REMOVED:
            lines.append(_("Removed from the programme (was %(when)s)") % {"when": _when(old)})
        elif kind == Change.RETITLED:
            lines.append(_("New title (was “%(old)s”)") % {"old": old.title})
        elif kind == Change.SPEAKERS:
            lines.append(_("Speakers: %(speakers)s") % {"speakers": ", ".join(new.speakers) or "–"})
    return lines


def _described(changes: list[SeminarChange], conference) -> list[dict]:
    url = reverse("programme:seminar", kwargs={"conference": conference.slug, "code": "SEMINARCODE0"})
    return [
        {"change": change, "title": change.current.title, "kinds": change.ordered_kinds(),
         "labels": [kind_label(kind) for kind in change.ordered_kinds()], "lines": change_lines(change),
         "url": None if change.after is None else url.replace("SEMINARCODE0", change.code)}
        for change in changes
    ]


@require_safe
def changes(request, conference):
    """The latest release's changes (or those since the release chosen with ?since=N), and every release."""
    conf = selectors.get_public_conference(conference)
    releases = releases_of(conf)
    latest = releases[0] if releases else None
    since, notice = None, None
    if latest is not None:
        since = latest.number - 1
        wanted = request.GET.get("since")
        if wanted is not None:
            if wanted.isdigit() and int(wanted) < latest.number:
                since = int(wanted)
            else:
                notice = _("There is no earlier release with that number; showing the changes in the latest "
                           "release instead.")
    history = []
    for release in releases:
        own = changes_between(releases, release.number - 1, release.number)
        history.append({"release": release, "count": len(own)})
    return render(request, "programme/changes.html", {
        "conference": conf,
        "latest": latest,
        "since": since,
        "since_choices": list(range(latest.number - 1, -1, -1)) if latest else [],
        "notice": notice,
        "changes": _described(changes_between(releases, since, latest.number), conf) if latest else [],
        "history": history,
        "nav": "programme",
    })


@require_safe
def changes_feed(request, conference):
    """An Atom feed with one entry per release (the newest FEED_RELEASES), answering 304 when current."""
    with translation.override(settings.LANGUAGE_CODE):
        conf = selectors.get_public_conference(conference)
        newest = list(conf.releases.order_by("-number").values_list("number", "published_at", "note")[:1])
        number, published_at = (newest[0][0], newest[0][1]) if newest else (0, None)
        version = feed_version("changes", conf.pk, conf.slug, conf.name, number, translation.get_language(),
                               published_at)

        def build():
            releases = releases_of(conf)[:FEED_RELEASES + 1]
            page = settings.SITE_URL + reverse("programme:changes", kwargs={"conference": conf.slug})
            feed = Atom1Feed(
                title=_("%(conference)s: programme changes") % {"conference": conf.name},
                link=page,
                description=_("Every published release of the programme and what changed in it."),
                language=translation.get_language(),
                feed_url=settings.SITE_URL + reverse("programme:changes_feed", kwargs={"conference": conf.slug}),
                feed_guid=f"{page}#feed",
            )
            by_number = {release.number: release for release in releases}
            for release in releases[:FEED_RELEASES]:
                before = by_number.get(release.number - 1)
                if before is None and release.number > 1:  # older than the feed carries: read it
                    before = conf.releases.filter(number=release.number - 1).first()
                own = changes_between([release, *([before] if before else [])], before.number if before else 0,
                                      release.number)
                lines = [f"{item['title']}: " + "; ".join(item["lines"]) for item in _described(own, conf)]
                if release.note:
                    lines.insert(0, release.note)
                feed.add_item(
                    title=ngettext("Release %(number)d: %(n)d change", "Release %(number)d: %(n)d changes",
                                   len(own)) % {"number": release.number, "n": len(own)},
                    link=f"{page}?since={release.number - 1}",
                    description="\n".join(lines),
                    unique_id=f"{page}#release-{release.number}",
                    updateddate=release.published_at,
                    pubdate=release.published_at,
                )
            return feed.writeString("utf-8")

        return calendar_response(request, version, build, filename=f"{conf.slug}-changes.atom",
                                 content_type="application/atom+xml; charset=utf-8")

