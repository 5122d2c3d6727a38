from django.urls import path

from . import audit_views, views

app_name = "students"
urlpatterns = [
    path("", views.student_list, name="list"),
    path("unduh/", views.student_export, name="export"),
    path("jejak-audit/", audit_views.audit_page, name="audit"),
    path("baru/", views.student_create, name="create"),
    path("<int:pk>/", views.student_detail, name="detail"),
    path("<int:pk>/nik/", views.student_reveal_nik, name="reveal_nik"),
    path("<int:pk>/ubah/", views.student_edit, name="edit"),
    path("<int:pk>/peristiwa/", views.student_record_event, name="record_event"),
]
