"""Badge PDFs: the full round trip through a real PDF renderer and a real QR decoder, batches and the command."""

import io

import pypdfium2 as pdfium
import zxingcpp
from django.core.management import call_command
from django.urls import reverse

from registration.badge_pdf import LAYOUT_A4, batch_registrations, print_batch
from registration.models import Registration, Scan
from registration.services.badges import current_badge, issue_badge


def pages_of(pdf_bytes: bytes, scale: float = 2.0):
    pdf = pdfium.PdfDocument(pdf_bytes)
    return [pdf[i].render(scale=scale).to_pil() for i in range(len(pdf))]


def text_of(pdf_bytes: bytes) -> str:
    pdf = pdfium.PdfDocument(pdf_bytes)
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def qr_texts(image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def test_round_trip_pdf_to_qr_to_scan_endpoint(client, make_registration, today_conference, door_staff):
    reg = make_registration(name="Åsa Öberg-Ärlemalm")
    client.force_login(reg.user)
    response = client.get(reverse("registration:my_badge", args=[today_conference.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    [page] = pages_of(response.content)
    [decoded] = qr_texts(page)
    assert decoded == f"MVT:{current_badge(reg).code}"
    assert "Åsa Öberg-Ärlemalm" in text_of(response.content)

    client.force_login(door_staff)
    key = f"entrance-{today_conference.first_day.isoformat()}"
    url = reverse("registration:door_scan", kwargs={"conference": today_conference.slug, "checkpoint": key})
    result = client.post(url, {"code": decoded, "nonce": "round-trip-1"}, HTTP_ACCEPT="application/json").json()
    assert result["verdict"] == "admitted"

    # Reissued: the printed badge now scans as revoked.
    issue_badge(reg)
    result = client.post(url, {"code": decoded, "nonce": "round-trip-2"}, HTTP_ACCEPT="application/json").json()
    assert result["verdict"] == "revoked"


def test_badge_shows_swedish_letters_category_organisation_and_edition(make_registration, conference):
    reg = make_registration(name="Östen Ågren", organisation_type="municipality", organisation_name="",
                            municipality_id="0180", category="speaker")
    out = io.BytesIO()
    print_batch(Registration.objects.filter(pk=reg.pk), out)
    text = text_of(out.getvalue())
    assert "Östen Ågren" in text
    assert reg.municipality.name in text  # Stockholm, from the municipality list
    assert conference.name in text
    assert str(reg.get_category_display()).upper() in text


def test_my_badge_is_only_my_own(client, make_registration, make_user, conference):
    make_registration()
    client.force_login(make_user())
    assert client.get(reverse("registration:my_badge", args=[conference.slug])).status_code == 404
    client.logout()
    response = client.get(reverse("registration:my_badge", args=[conference.slug]))
    assert response.status_code == 302


def test_a4_sheet_holds_four_badges_with_readable_codes(make_registration, conference):
    people = [make_registration(name=f"Person {i}") for i in range(5)]
    out = io.BytesIO()
    count = print_batch(batch_registrations(conference), out, layout=LAYOUT_A4)
    assert count == 5
    pages = pages_of(out.getvalue())
    assert len(pages) == 2
    codes = {f"MVT:{current_badge(p).code}" for p in people}
    found = set(qr_texts(pages[0])) | set(qr_texts(pages[1]))
    assert found == codes
    assert len(qr_texts(pages[0])) == 4


def test_batches_by_delegation_category_and_not_printed(make_registration, conference, make_user):
    from registration.models import Delegation

    delegation = Delegation.objects.create(conference=conference, coordinator=make_user(),
                                           organisation_name="Kiruna kommun")
    member = make_registration(delegation=delegation)
    press = make_registration(category="press")
    cancelled = make_registration(status="cancelled")
    assert list(batch_registrations(conference, delegation=delegation)) == [member]
    assert list(batch_registrations(conference, category="press")) == [press]
    assert cancelled not in batch_registrations(conference)
    print_batch(batch_registrations(conference, category="press"), io.BytesIO())
    press.refresh_from_db()
    assert press.badge_printed_at is not None
    assert press not in batch_registrations(conference, not_printed=True)
    assert member in batch_registrations(conference, not_printed=True)


def test_print_badges_command(make_registration, conference, tmp_path, capsys):
    make_registration(name="Ärla Ös")
    make_registration(name="Bo Ek")
    target = tmp_path / "badges.pdf"
    call_command("print_badges", "--conference", conference.slug, "--not-printed", "--output", str(target))
    captured = capsys.readouterr()
    assert "2/2" in captured.err
    assert len(pages_of(target.read_bytes(), scale=0.5)) == 2
    call_command("print_badges", "--conference", conference.slug, "--not-printed", "--output", str(target))
    assert "Wrote 0 badges" in capsys.readouterr().out


def test_organiser_downloads_a_batch(client, organiser, make_registration, conference):
    make_registration(name="Åsa")
    client.force_login(organiser)
    url = reverse("registration:badge_batch", args=[conference.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"layout": "a4x4", "not_printed": "on"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert len(pages_of(pdf, scale=0.5)) == 1
    again = client.post(url, {"layout": "a6", "not_printed": "on"})
    assert again.status_code == 200 and again["Content-Type"].startswith("text/html")
    assert client.post(url, {"layout": "nonsense"}).status_code == 200


def test_organiser_reissues_a_badge(client, organiser, make_registration, conference, door_staff):
    reg = make_registration()
    old = current_badge(reg).code
    client.force_login(organiser)
    response = client.post(reverse("registration:badge_reissue", args=[conference.slug, reg.public_id]))
    assert response.status_code == 302
    assert current_badge(reg).code != old
    assert Scan.objects.count() == 0


def test_badge_shows_the_conference_days_and_venue(make_registration, conference):
    """Issue 11, item 10."""
    reg = make_registration(name="Karin Ek")
    out = io.BytesIO()
    print_batch([reg], out)
    assert "3–4 februari 2016 · Kistamässan" in text_of(out.getvalue())


def test_batches_sort_by_surname_organisation_or_delegation_in_swedish_order(make_registration, conference,
                                                                            make_user):
    from registration.models import Delegation

    names = {"Åsa Öberg": "Umeå AB", "Anna Zetterlund": "Älvdalen AB", "Örjan Andersson": "Borås AB",
             "Bo Ärlig": "Åre AB"}
    made = {name: make_registration(name=name, organisation_name=org) for name, org in names.items()}

    def order(how):
        return [r.name for r in batch_registrations(conference, order=how)]

    assert order("surname") == ["Örjan Andersson", "Anna Zetterlund", "Bo Ärlig", "Åsa Öberg"]
    assert order("organisation") == ["Örjan Andersson", "Åsa Öberg", "Bo Ärlig", "Anna Zetterlund"]
    assert order("name") == ["Anna Zetterlund", "Bo Ärlig", "Åsa Öberg", "Örjan Andersson"]
    kiruna = Delegation.objects.create(conference=conference, coordinator=make_user(), organisation_name="Kiruna")
    for name in ("Bo Ärlig", "Örjan Andersson"):
        Registration.objects.filter(pk=made[name].pk).update(delegation=kiruna)
    assert order("delegation") == ["Bo Ärlig", "Örjan Andersson", "Anna Zetterlund", "Åsa Öberg"]
