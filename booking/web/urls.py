"""Customer booking pages."""

from django.urls import path

from . import views, views_recovery

urlpatterns = [
    path("", views.book, name="book"),
    path("book/", views.book_submit, name="book-submit"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/reschedule/", views.reschedule, name="manage-reschedule"),
    path("manage/<str:token>/cancel/", views.cancel, name="manage-cancel"),
    path("manage/<str:token>/phone/", views.change_phone, name="manage-phone"),
    path("privacy/", views.privacy, name="privacy"),
    path("r/<str:token>/", views_recovery.rerate, name="recovery-rerate"),
    path("r/<str:token>/book/", views_recovery.rebook, name="recovery-book"),
]
