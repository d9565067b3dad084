"""Messages from django-allauth whose shipped Swedish translation is wrong; ours (locale/sv) take precedence.

Listed here only so that makemessages keeps them in our catalogue.
"""

from django.utils.translation import gettext_noop

# allauth's Swedish turns this into "Already have an account? Then log in", linked to the sign-up page.
gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first.")
