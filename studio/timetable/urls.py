"""The timetable's addresses, included by enfuse/urls.py before Wagtail's page tree."""

from django.urls import path

from . import views

urlpatterns = [
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/calendar.ics", views.all_classes_feed, name="schedule_feed"),
    path("schedule/services/<str:slug>.ics", views.service_feed, name="schedule_service_feed"),
    path("schedule/classes/<int:pk>/", views.class_page, name="timetable_class"),
    path("schedule/classes/<int:pk>.ics", views.class_feed, name="timetable_class_feed"),
]
