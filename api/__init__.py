"""The REST API: the published programme for anyone, and one conference's registrations, bookings, lines and
check-ins for organisers' scoped tokens. Sits above both apps; views call their selectors and services."""
