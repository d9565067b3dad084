"""Every API error is `{"code": …, "detail": …}` (validation errors add `fields`), with the code also in the
X-MVT-Code header. Service errors keep the stable codes of the app that raised them."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.errors import AppError, CommonCode, with_code
from common.locking import is_read_only_error
from registration.errors import Code

# A refusal that a later request may not repeat (the seminar is full, has started, …) is a conflict with the
# current state; "busy" and "read only" are temporary.
STATUS_FOR_CODE = {
    CommonCode.BUSY: status.HTTP_503_SERVICE_UNAVAILABLE,
    CommonCode.READ_ONLY: status.HTTP_503_SERVICE_UNAVAILABLE,
    Code.BUSY: status.HTTP_503_SERVICE_UNAVAILABLE,
}


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs: e.g. not_found, invalid, full, overlap, busy.")
    detail = serializers.CharField(help_text="For people, in the request's language (Accept-Language).")
    fields = serializers.DictField(required=False, help_text="Per field, what is wrong (code invalid only).")


def _answer(code: str, detail: str, status_code: int, **extra) -> Response:
    response = Response({"code": str(code), "detail": str(detail), **extra}, status=status_code)
    if status_code == status.HTTP_503_SERVICE_UNAVAILABLE:
        response["Retry-After"] = "5"
    return with_code(response, str(code))


def exception_handler(exc, context):
    if isinstance(exc, AppError):
        return _answer(exc.code, exc.message, STATUS_FOR_CODE.get(exc.code, status.HTTP_409_CONFLICT))
    if is_read_only_error(exc):
        from common.errors import ReadOnlyError

        error = ReadOnlyError()
        return _answer(error.code, error.message, status.HTTP_503_SERVICE_UNAVAILABLE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        answer = _answer("invalid", _("Some of what was sent is not valid."), response.status_code, fields=fields)
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        answer = _answer(codes if isinstance(codes, str) else "error", getattr(exc, "detail", ""),
                         response.status_code)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            answer[header] = response[header]
    return answer
