"""Staff must have MFA: an organiser or door-staff member without it is sent to set it up first."""

from django.shortcuts import redirect

from .access import has_mfa, is_staff_member, mfa_setup_url

STAFF_PREFIXES = ("/admin/", "/staff/")


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # path_info is what the URLs are matched against; request.path also holds the script name.
        path = request.path_info
        if path.startswith(STAFF_PREFIXES) and not path.startswith("/admin/logout/"):
            user = request.user
            if is_staff_member(user) and not has_mfa(user):
                return redirect(mfa_setup_url(request.get_full_path()))
        return self.get_response(request)
