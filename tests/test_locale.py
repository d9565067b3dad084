def test_swedish_by_default_even_for_english_browsers(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="sv">' in page


def test_the_switch_decides_the_language(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "sv", "next": "/accounts/login/"})
    assert '<html lang="sv">' in client.get("/accounts/login/").content.decode()


def test_an_unknown_language_cookie_falls_back_to_swedish(client, db):
    client.cookies["django_language"] = "xx"
    assert '<html lang="sv">' in client.get("/accounts/login/").content.decode()
