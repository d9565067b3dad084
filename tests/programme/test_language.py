"""The UI speaks Swedish by default and switches to English (and back) through Django's set_language."""

import pytest


@pytest.fixture
def pages(make_seminar):
    make_seminar(title="Nattillsyn med kamera")
    return ["/mvt2016/", "/mvt2016/program/2016-02-03/", "/mvt2016/speakers/"]


def switch(client, language, next_url="/mvt2016/"):
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url


def test_default_is_swedish(client, pages):
    for url in pages:
        page = client.get(url).content.decode()
        assert '<html lang="sv">' in page, url
        assert ">Talare<" in page and ">Program<" in page, url
        assert "Alla tider är svensk tid" in page
        assert ">Speakers<" not in page


def test_day_page_in_swedish(client, pages):
    page = client.get("/mvt2016/program/2016-02-03/").content.decode()
    assert "Alla spår" in page
    assert "onsdag 3 februari" in page  # dates follow the language too


def test_switch_to_english_and_back(client, pages):
    switch(client, "en")
    for url in pages:
        page = client.get(url).content.decode()
        assert '<html lang="en">' in page, url
        assert ">Speakers<" in page and ">Programme<" in page, url
        assert "All times are Swedish time" in page
    assert "Wednesday 3 February" in client.get("/mvt2016/program/2016-02-03/").content.decode()

    switch(client, "sv")
    page = client.get("/mvt2016/").content.decode()
    assert '<html lang="sv">' in page
    assert ">Talare<" in page


def test_switch_returns_to_the_page_it_came_from(client, pages):
    switch(client, "en", next_url="/mvt2016/speakers/")


def test_unknown_language_keeps_swedish(client, pages):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/mvt2016/"})
    assert '<html lang="sv">' in client.get("/mvt2016/").content.decode()


def test_language_form_is_on_every_page(client, pages):
    for url in pages:
        page = client.get(url).content.decode()
        assert 'action="/i18n/setlang/"' in page
        assert 'name="language"' in page
