"""Customer booking pages."""

from django.urls import path

from . import views, visitor

urlpatterns = [
    path("", views.book, name="book"),
    path("book/", views.book_submit, name="book-submit"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/reschedule/", views.reschedule, name="manage-reschedule"),
    path("manage/<str:token>/cancel/", views.cancel, name="manage-cancel"),
    path("privacy/", views.privacy, name="privacy"),
    # the visitor's phone: a ticket's status link, and joining the queue from outside
    path("t/<str:token>/", visitor.status_page, name="ticket-status-page"),
    path("t/<str:token>/leave/", visitor.leave, name="ticket-status-leave"),
    path("t/<str:token>/switch/", visitor.switch, name="ticket-status-switch"),
    path("queue/", visitor.join, name="queue-join"),
]
