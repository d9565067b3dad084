"""Issue 11, item 4: the registration form groups the organisation fields by type (works without JavaScript)
and refuses contradictory input with a message naming the clash, instead of silently dropping a part."""

import pytest

from registration.errors import Code
from registration.forms import DelegationForm, RegistrationForm
from registration.models import Registration


def form_data(**overrides):
    data = {"name": "Karin Lind", "organisation_type": "municipality", "municipality": "1980", "region": "",
            "organisation_name": "", "job_title": "", "category": "staff", "accessibility_needs": "",
            "language": "en"}
    data.update(overrides)
    return data


@pytest.fixture
def attendee(client, conference, make_user):
    client.cookies["django_language"] = "en"
    user = make_user()
    client.force_login(user)
    return user


@pytest.mark.parametrize(("overrides", "field"), [
    ({"region": "19"}, "region"),
    ({"organisation_name": "Exempel AB"}, "organisation_name"),
    ({"organisation_type": "region", "region": "19", "municipality": "1980"}, "municipality"),
    ({"organisation_type": "region", "region": "19", "municipality": "", "organisation_name": "X"},
     "organisation_name"),
    ({"organisation_type": "company", "municipality": "1980", "organisation_name": "Exempel AB"}, "municipality"),
    ({"organisation_type": "other", "municipality": "", "region": "19", "organisation_name": "Förening"}, "region"),
], ids=["municipality+region", "municipality+name", "region+municipality", "region+name", "company+municipality",
        "other+region"])
def test_contradictory_organisation_is_refused_on_the_clashing_field(db, overrides, field):
    form = RegistrationForm(form_data(**overrides))
    assert not form.is_valid()
    assert form.has_error(field, code=Code.ORGANISATION_CONFLICT)
    assert list(form.errors) == [field]


def test_contradiction_is_refused_over_http_with_a_message_and_nothing_saved(client, attendee):
    response = client.post("/mvt2016/register/", form_data(organisation_name="Exempel AB"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "You chose municipality as the type of organisation, but also wrote an organisation name" in page
    assert not Registration.objects.exists()


def test_a_consistent_choice_still_registers(client, attendee):
    response = client.post("/mvt2016/register/", form_data(organisation_type="company", municipality="",
                                                           organisation_name="Exempel AB"))
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.organisation_type, registration.municipality, registration.organisation) == (
        "company", None, "Exempel AB")


def test_delegation_form_refuses_the_same_contradiction(db):
    form = DelegationForm({"organisation_type": "region", "region": "19", "municipality": "1980",
                           "organisation_name": "", "category": "staff", "language": "sv",
                           "members": "Anna, anna@example.se"})
    assert not form.is_valid()
    assert form.has_error("municipality", code=Code.ORGANISATION_CONFLICT)


def test_form_without_javascript_shows_each_group_in_a_fieldset_for_its_type(client, attendee):
    page = client.get("/mvt2016/register/").content.decode()
    assert page.count('<fieldset class="org-group"') == 3
    assert 'data-org-for="municipality"' in page and 'data-org-for="region"' in page
    assert 'data-org-for="company user_org other"' in page
    assert "If you chose Municipality" in page
    # The script that hides the groups not chosen is a static file (ready for a strict CSP).
    assert "js/organisation.js" in page
    assert "<fieldset class=\"org-group\" data-org-for=\"region\" hidden" not in page
