"""The campaign, team and visit pages (namespace "campaigns")."""

from django.urls import path

from . import (
    campaign_views,
    dashboard_views,
    print_job_views,
    print_views,
    team_views,
    visit_views,
)

app_name = "campaigns"
urlpatterns = [
    path("kampanye/", campaign_views.campaign_list, name="list"),
    path("kampanye/baru/", campaign_views.campaign_create, name="create"),
    path("kampanye/<int:pk>/", campaign_views.campaign_detail, name="detail"),
    path("kampanye/<int:pk>/ubah/", campaign_views.campaign_edit, name="edit"),
    path("kampanye/<int:pk>/hari/", campaign_views.calendar_day_add, name="day_add"),
    path(
        "kampanye/<int:pk>/hari/<int:day_pk>/hapus/",
        campaign_views.calendar_day_remove,
        name="day_remove",
    ),
    path("kampanye/<int:pk>/rencanakan/", campaign_views.plan_run, name="plan"),
    path("kampanye/<int:pk>/perencana/", campaign_views.plan_state, name="plan_state"),
    path("kampanye/<int:pk>/terima/", campaign_views.plan_accept, name="accept"),
    path(
        "kampanye/<int:pk>/belum-dikunjungi/",
        campaign_views.schools_without_visit,
        name="unvisited",
    ),
    path("kampanye/<int:pk>/jadwal/", visit_views.schedule, name="schedule"),
    path("kampanye/<int:pk>/jadwal.pdf", print_views.schedule_pdf, name="schedule_pdf"),
    path("kampanye/<int:pk>/jadwal.xlsx", print_views.schedule_xlsx, name="schedule_xlsx"),
    path("kampanye/<int:pk>/kunjungan/baru/", visit_views.visit_add, name="visit_add"),
    path("kampanye/<int:pk>/tim/baru/", team_views.team_create, name="team_create"),
    path("tim/", team_views.team_list, name="teams"),
    path("tim/<int:pk>/", team_views.team_detail, name="team"),
    path("tim/<int:pk>/ubah/", team_views.team_edit, name="team_edit"),
    path("tim/<int:pk>/jadwal.pdf", print_views.team_schedule_pdf, name="team_pdf"),
    path("tim/<int:pk>/alamat-kalender/", team_views.team_new_feed, name="team_new_feed"),
    path("kunjungan/", visit_views.my_visits, name="visits"),
    path("kunjungan/<int:pk>/", visit_views.visit_detail, name="visit"),
    path("kunjungan/<int:pk>/pindah/", visit_views.visit_move, name="visit_move"),
    path("kunjungan/<int:pk>/bagi/", visit_views.visit_split, name="visit_split"),
    path("kunjungan/<int:pk>/batal/", visit_views.visit_cancel, name="visit_cancel"),
    path("kunjungan/<int:pk>/jawab/", visit_views.visit_answer, name="visit_answer"),
    path("kunjungan/<int:pk>/paket.pdf", print_views.visit_pack_pdf, name="visit_pack"),
    path("kalender/tim/<str:token>.ics", print_views.team_feed, name="team_feed"),
    path("kampanye/<int:pk>/cetak/", print_job_views.print_request, name="print_request"),
    path("cetak/<int:pk>/", print_job_views.print_job, name="print_job"),
    path("cetak/<int:pk>/kemajuan/", print_job_views.print_progress, name="print_progress"),
    path("cetak/<int:pk>/unduh/", print_job_views.print_download, name="print_download"),
    path("dasbor/", dashboard_views.dashboard, name="dashboard"),
    path("dasbor/cakupan/", dashboard_views.coverage, name="coverage"),
    path("laporan/<int:year>.pdf", dashboard_views.report_pdf, name="report_pdf"),
]
