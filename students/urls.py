from django.urls import path

from . import views

app_name = "students"
urlpatterns = [
    path("", views.student_list, name="list"),
    path("baru/", views.student_create, name="create"),
    path("<int:pk>/", views.student_detail, name="detail"),
    path("<int:pk>/ubah/", views.student_edit, name="edit"),
    path("<int:pk>/peristiwa/", views.student_record_event, name="record_event"),
]
