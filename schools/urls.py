from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("", views.school_list, name="list"),
    path("baru/", views.school_create, name="create"),
    path("<int:pk>/", views.school_detail, name="detail"),
    path("<int:pk>/ubah/", views.school_edit, name="edit"),
    path("<int:pk>/libur/", views.blackout_add, name="blackout_add"),
    path("<int:pk>/libur/<int:blackout_pk>/hapus/", views.blackout_delete, name="blackout_delete"),
    path("<int:pk>/koordinator/", views.coordinator_add, name="coordinator_add"),
    path(
        "<int:pk>/koordinator/<int:user_pk>/hapus/",
        views.coordinator_remove,
        name="coordinator_remove",
    ),
]
