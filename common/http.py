"""Reading where to send someone next: only a path on this site, never a URL name or another host."""

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def is_same_site_path(target: str) -> bool:
    """True for "/…" paths on this site; false for other hosts ("//host", "/\\host"), schemes, bare words
    (which redirect() would take for a URL name) and anything with a control character."""
    return (
        target.startswith("/") and not target.startswith("//")
        and not any(ord(char) < 32 or ord(char) == 127 for char in target)
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    )


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The request's `next` (form field first, then query string) if it is a same-site path, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_same_site_path(target) else fallback


def redirect_to_next(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Redirect to the request's safe `next`, else to the path `fallback`; never resolves a URL name."""
    return HttpResponseRedirect(safe_next(request, fallback))
