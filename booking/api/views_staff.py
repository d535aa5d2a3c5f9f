"""Staff API: queue, calling and serving, advisor status, statistics, alerts, lobby screen."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from booking.models import Alert, Branch, Rating, Ticket
from booking.presenters import floor as p
from booking.presenters.desk import MyStatusOut
from booking.selectors.access import advisor_of, managed_branches, staff_branches
from booking.selectors.stats import branch_day_stats
from booking.services import alerts as alert_services
from booking.services import queue
from booking.services.advisors import advisor_status_set

from . import serializers as s
from .permissions import IsStaff, acting_advisor, managed_branch, staff_branch
from .views_public import PublicView


class StaffView(APIView):
    permission_classes = [IsStaff]


class QueueView(StaffView):
    @extend_schema(responses=p.QueueOut)
    def get(self, request, branch: str):
        return Response(p.queue_payload(staff_branch(request, branch), timezone.now()))


class CallNextView(StaffView):
    @extend_schema(request=None, responses={200: p.StaffTicketOut, 204: None})
    def post(self, request, branch: str):
        branch_obj = staff_branch(request, branch)
        ticket = queue.ticket_call_next(advisor=acting_advisor(request), branch=branch_obj)
        if ticket is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(p.ticket_payload(ticket, timezone.now(), staff=True))


def staff_ticket(request, ticket_id: int) -> Ticket:
    return get_object_or_404(
        Ticket.objects.select_related("branch", "service", "advisor", "appointment", "customer"),
        id=ticket_id,
        branch__in=staff_branches(request.user),
    )


class TicketActionView(StaffView):
    """``POST /tickets/{id}/<action>/`` for call, start, finish, no-show and transfer."""

    action_name = ""

    @extend_schema(
        request=None,
        responses={
            200: p.StaffTicketOut,
            403: OpenApiResponse(description="the visitor is with another desk"),
            409: OpenApiResponse(description="wrong state"),
        },
    )
    def post(self, request, ticket_id: int):
        ticket = staff_ticket(request, ticket_id)
        ticket = self.perform(request, ticket)
        return Response(p.ticket_payload(ticket, timezone.now(), staff=True))

    def perform(self, request, ticket: Ticket) -> Ticket:
        advisor = acting_advisor(request)
        if self.action_name == "call":
            return queue.ticket_call(ticket=ticket, advisor=advisor)
        move = queue.ticket_start if self.action_name == "start" else queue.ticket_finish
        return move(ticket=ticket, advisor=advisor, any_desk=manages(request, ticket))


def manages(request, ticket: Ticket) -> bool:
    """Managers of the ticket's branch may act on a visitor at any desk."""
    return managed_branches(request.user).filter(id=ticket.branch_id).exists()


class NoShowView(TicketActionView):
    def perform(self, request, ticket: Ticket) -> Ticket:
        return queue.ticket_no_show(
            ticket=ticket, advisor=advisor_of(request.user), any_desk=manages(request, ticket)
        )


class TransferView(TicketActionView):
    @extend_schema(request=s.TransferIn, responses={200: p.StaffTicketOut})
    def post(self, request, ticket_id: int):
        return super().post(request, ticket_id)

    def perform(self, request, ticket: Ticket) -> Ticket:
        data = s.TransferIn(data=request.data)
        data.is_valid(raise_exception=True)
        return queue.ticket_transfer(
            ticket=ticket,
            to_advisor=data.validated_data.get("advisor"),
            to_service=data.validated_data.get("service"),
            by=advisor_of(request.user),
            any_desk=manages(request, ticket),
        )


class MyStatusView(StaffView):
    """The calling advisor's own status: available, busy, paused (with a reason) or
    offline, and whether they run late."""

    @extend_schema(responses=MyStatusOut)
    def get(self, request):
        return Response(MyStatusOut(acting_advisor(request)).data)

    @extend_schema(request=s.AdvisorStatusIn, responses=MyStatusOut)
    def post(self, request):
        data = s.AdvisorStatusIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        advisor = advisor_status_set(
            advisor=acting_advisor(request),
            status=values["status"],
            reason=values.get("reason", ""),
            minutes=values.get("minutes"),
        )
        return Response(MyStatusOut(advisor).data)


class StatsView(StaffView):
    @extend_schema(
        parameters=[OpenApiParameter("date", str, description="local day, default today")],
        responses=s.StatsOut,
    )
    def get(self, request, branch: str):
        branch_obj = staff_branch(request, branch)
        query = s.StatsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("date") or branch_obj.local_date(timezone.now())
        return Response(s.StatsOut(branch_day_stats(branch_obj, day)).data)


class DisplayView(PublicView):
    @extend_schema(responses=p.DisplayOut)
    def get(self, request, branch: str):
        branch_obj = get_object_or_404(Branch, slug=branch, active=True)
        return Response(p.display_payload(branch_obj, timezone.now()))


class AlertListView(StaffView, generics.ListAPIView):
    serializer_class = p.AlertOut

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=["open", "acknowledged", "resolved"])]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        branch = managed_branch(self.request, self.kwargs["branch"])
        alerts = Alert.objects.filter(branch=branch).select_related(*p.ALERT_RELATED)
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in {"open", "acknowledged", "resolved"}:
                raise NotFound()
            alerts = alerts.filter(status=wanted)
        return alerts.order_by("-created")


class RatingListView(StaffView, generics.ListAPIView):
    """The branch's ratings, newest first (the manager's emotion feed)."""

    serializer_class = p.RatingOut

    def get_queryset(self):
        branch = managed_branch(self.request, self.kwargs["branch"])
        return (
            Rating.objects.filter(branch=branch)
            .select_related("branch", "service", "advisor")
            .order_by("-given_at", "-id")
        )


def managed_alert(request, alert_id: int) -> Alert:
    alert = get_object_or_404(
        Alert.objects.select_related("branch"), id=alert_id, branch__in=staff_branches(request.user)
    )
    managed_branch(request, alert.branch.slug)
    return alert


class AlertAcknowledgeView(StaffView):
    @extend_schema(request=None, responses=p.AlertOut)
    def post(self, request, alert_id: int):
        alert = alert_services.alert_acknowledge(
            managed_alert(request, alert_id), user=request.user
        )
        return Response(p.AlertOut(alert).data)


class AlertResolveView(StaffView):
    @extend_schema(request=s.AlertResolveIn, responses=p.AlertOut)
    def post(self, request, alert_id: int):
        alert = managed_alert(request, alert_id)
        data = s.AlertResolveIn(data=request.data)
        data.is_valid(raise_exception=True)
        alert = alert_services.alert_resolve(
            alert, user=request.user, note=data.validated_data["note"]
        )
        return Response(p.AlertOut(alert).data)
