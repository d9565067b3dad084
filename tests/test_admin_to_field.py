"""An empty `_to_field` (a hand-made or truncated admin link) is ignored, as no `_to_field` is: not a 500.

Django's change and delete views looked the empty name up as a field (FieldDoesNotExist); the fuzzer found it."""

import pytest
from django.test import Client


@pytest.fixture
def desk(organiser):
    client = Client(raise_request_exception=False)
    client.force_login(organiser)
    return client


@pytest.mark.parametrize(("view", "status"), [("change", 200), ("delete", 403)])  # organisers cancel, never delete
@pytest.mark.parametrize("method", ["get", "head"])
def test_an_empty_to_field_on_an_object_page_is_ignored(desk, make_seminar, view, status, method):
    response = getattr(desk, method)(f"/admin/programme/seminar/{make_seminar().pk}/{view}/?_to_field=")
    assert response.status_code == status


def test_an_empty_to_field_in_a_posted_change_form_is_ignored(desk, make_seminar):
    response = desk.post(f"/admin/programme/seminar/{make_seminar().pk}/change/", {"_to_field": ""})
    assert response.status_code == 200  # the form again, with its errors


def test_a_to_field_that_is_not_a_field_is_still_refused(desk, make_seminar):
    assert desk.get(f"/admin/programme/seminar/{make_seminar().pk}/change/?_to_field=nonsense").status_code == 400
