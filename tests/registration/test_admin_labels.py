"""The registration admin speaks the UI language, shows coordinators by name and filters bookings by seminar."""

from registration.models import Booking
from registration.services.booking import book_seat


def test_booking_admin_labels_are_swedish(client, organiser, make_seminar, make_registration):
    book_seat(registration=make_registration(), seminar=make_seminar(title="Nattkamera"), notify=False)
    client.force_login(organiser)
    page = client.get("/admin/registration/booking/").content.decode()
    for english in ("QUEUED AT", "CONFIRMED AT", ">Registration<", "(confirmed)"):
        assert english.lower() not in page.lower()
    assert "Plats bekräftad" in page or "plats bekräftad" in page.lower()
    assert "efterfrågad" in page.lower()


def test_bookings_filter_by_one_seminar_not_its_namesakes(client, organiser, make_seminar, make_room,
                                                          make_registration):
    first = make_seminar(title="Digital tillsyn")
    second = make_seminar(title="Digital tillsyn del 2", room=make_room())
    for seminar in (first, second):
        book_seat(registration=make_registration(name=f"Gäst i {seminar.pk}"), seminar=seminar, notify=False)
    client.force_login(organiser)
    page = client.get(f"/admin/registration/booking/?seminar__id__exact={first.pk}").content.decode()
    assert f"Gäst i {first.pk}" in page and f"Gäst i {second.pk}" not in page
    assert Booking.objects.count() == 2


def test_delegations_show_the_coordinator_by_name(client, organiser, conference, make_user):
    from registration.models import Delegation

    coordinator = make_user(first_name="Karin", last_name="Samordnare")
    Delegation.objects.create(conference=conference, coordinator=coordinator, organisation_name="Västerås stad")
    client.force_login(organiser)
    page = client.get("/admin/registration/delegation/").content.decode()
    assert "Karin Samordnare" in page
