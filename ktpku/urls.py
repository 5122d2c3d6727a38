from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from . import export_views, second_factor_views, views
from .forms import LoginForm

# The admin's title bar says "KTPku", not "Django administration".
admin.site.site_header = admin.site.site_title = _("KTPku")

urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("kata-sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("dua-langkah/", second_factor_views.verify, name="second_factor_verify"),
    path("dua-langkah/daftar/", second_factor_views.setup, name="second_factor_setup"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("healthz", views.healthz, name="healthz"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("privasi/", views.privacy_notice, name="privacy"),
    path("ekspor/<int:pk>/", export_views.export_job, name="export_job"),
    path("ekspor/<int:pk>/kemajuan/", export_views.export_progress, name="export_progress"),
    path("ekspor/<int:pk>/unduh/", export_views.export_download, name="export_download"),
    path("admin/", admin.site.urls),
    path("sekolah/", include("schools.urls")),
    path("siswa/", include("students.urls")),
    path("daftar-siswa/", include("students.roster_urls")),
    path("", include("campaigns.urls")),
]

handler404 = "ktpku.views.page_not_found"
handler500 = "ktpku.views.server_error"

handler403 = "ktpku.views.permission_denied"
