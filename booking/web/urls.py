"""Customer booking pages."""

from django.urls import path

from . import views, views_recovery, visitor

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
    # the visitor's phone: a ticket's status link, and joining the queue from outside
    path("t/<str:token>/", visitor.status_page, name="ticket-status-page"),
    path("t/<str:token>/leave/", visitor.leave, name="ticket-status-leave"),
    path("t/<str:token>/switch/", visitor.switch, name="ticket-status-switch"),
    path("queue/", visitor.join, name="queue-join"),
]
