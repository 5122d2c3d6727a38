from django.urls import path

from .roster import views

app_name = "rosters"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template.xlsx", views.template, name="template"),
    path("riwayat/", views.history, name="history"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progres/", views.progress, name="progress"),
    path("<int:pk>/simpan/", views.confirm, name="confirm"),
    path("<int:pk>/perbaiki.xlsx", views.refused, name="refused"),
    path("pindah-sekolah/", views.moves, name="moves"),
    path(
        "pindah-sekolah/<int:pk>/setujui/",
        views.move_decide,
        {"decision": "confirm"},
        name="move_confirm",
    ),
    path(
        "pindah-sekolah/<int:pk>/tolak/",
        views.move_decide,
        {"decision": "reject"},
        name="move_reject",
    ),
]
