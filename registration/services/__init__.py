"""Registration services, one module per aggregate, re-exported here.

booking: book_seat, cancel_booking, promote_waitlist, capacity guards
registrations: register, update_registration, cancel_registration, register_delegation, add_delegation_members,
    claim_registration, resend_claim, replace_delegate, cancel_delegate
calendar: personal feed tokens
badges: issue_badge (reissuing revokes the old code), current_badge, qr_payload, normalise_code
door: check_in (doors and live counts are read in registration.selectors)
"""

from .booking import BookingError, book_seat, cancel_booking, promote_waitlist  # noqa: F401
from .registrations import (  # noqa: F401
    Member,
    RegistrationError,
    cancel_registration,
    claim_registration,
    register,
    register_delegation,
    replace_delegate,
)
