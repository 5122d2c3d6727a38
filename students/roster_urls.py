from django.urls import path  # noqa: F401 - routes are added as the roster upload lands

app_name = "rosters"
urlpatterns = []
