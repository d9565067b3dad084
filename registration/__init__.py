"""People and their seats: attendees, delegations, bookings, waitlists, badges and door scans."""
