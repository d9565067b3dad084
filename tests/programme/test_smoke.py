def test_programme_day_page_lists_published_seminar(client, make_seminar):
    seminar = make_seminar(title="Nattillsyn med kamera")
    response = client.get("/mvt2016/program/2016-02-03/")
    assert response.status_code == 200
    assert seminar.title in response.content.decode()
