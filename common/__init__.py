"""Small helpers shared by the programme and registration: errors, locking, HTTP details.

A plain package (no models, no app config); it imports neither app.
"""
