"""The national map (public) and the coordinators' dashboard, mounted at the site root."""

from django.urls import path

from . import views

app_name = "map"

urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("map/data.json", views.map_data, name="map-data"),
    path("map/boundaries.json", views.map_boundaries, name="map-boundaries"),
    path("map/table.csv", views.map_table_csv, name="map-csv"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/summary.csv", views.DashboardCsvView.as_view(), name="dashboard-csv"),
]
