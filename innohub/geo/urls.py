from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [
    path("", views.area_list, name="area_list"),
    path("<int:pk>/", views.area_detail, name="area_detail"),
    path("suggest/", views.area_suggest, name="area_suggest"),
]
