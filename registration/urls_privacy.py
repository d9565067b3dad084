from django.urls import path

from .views import privacy

urlpatterns = [
    path("me/data/", privacy.my_data, name="my_data"),
    path("me/data.json", privacy.my_data_download, name="my_data_download"),
]
