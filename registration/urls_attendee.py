from django.urls import path

from sessions import converters  # noqa: F401 - registers the path converters

from .views import attendee, feedback

urlpatterns = [
    path("<slug:conference>/register/", attendee.register, name="register"),
    path("<slug:conference>/me/", attendee.my_programme, name="my_programme"),
    path("<slug:conference>/me/edit/", attendee.registration_edit, name="registration_edit"),
    path("<slug:conference>/me/cancel/", attendee.registration_cancel, name="registration_cancel"),
    path("<slug:conference>/seminars/<code:code>/book/", attendee.book, name="book"),
    path("bookings/<uuid:public_id>/cancel/", attendee.cancel_booking, name="cancel_booking"),
    path("<slug:conference>/delegations/new/", attendee.delegation_new, name="delegation_new"),
    path("<slug:conference>/delegations/<uuid:public_id>/", attendee.delegation, name="delegation"),
    path("<slug:conference>/delegations/<uuid:public_id>/members/<uuid:member>/replace/",
         attendee.delegation_replace, name="delegation_replace"),
    path("<slug:conference>/delegations/<uuid:public_id>/add/", attendee.delegation_add, name="delegation_add"),
    path("<slug:conference>/delegations/<uuid:public_id>/badges.pdf", attendee.delegation_badges,
         name="delegation_badges"),
    path("<slug:conference>/delegations/<uuid:public_id>/members/<uuid:member>/cancel/",
         attendee.delegation_cancel_member, name="delegation_cancel_member"),
    path("<slug:conference>/delegations/<uuid:public_id>/members/<uuid:member>/resend/",
         attendee.delegation_resend, name="delegation_resend"),
    path("<slug:conference>/delegations/<uuid:public_id>/members/<uuid:member>/seats/",
         attendee.delegation_member_seats, name="delegation_seats"),
    path("claim/<token:token>/", attendee.claim, name="claim"),
    path("<slug:conference>/seminars/<code:code>/feedback/", feedback.feedback, name="feedback"),
    path("feedback/<str:token>/", feedback.feedback_link, name="feedback_link"),
    path("<slug:conference>/me/speaker-feedback/", feedback.speaker_feedback_page, name="speaker_feedback"),
]
