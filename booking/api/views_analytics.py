"""Manager analytics: funnel, satisfaction (JSON or CSV), customers, journeys, privacy."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from booking.models import Customer, Ticket
from booking.selectors import analytics
from booking.selectors.access import managed_branches, staff_branches
from booking.selectors.service_levels import recoveries_summary
from booking.services.privacy import customer_erase, customer_export
from booking.timeutils import iso

from . import serializers as s
from .fields import DayField
from .permissions import managed_branch
from .views_staff import StaffView, staff_ticket

MAX_DAYS = 400


class PeriodQuery(serializers.Serializer):
    to = DayField(required=False)
    service = serializers.SlugField(required=False)
    channel = serializers.CharField(required=False, max_length=10)
    by = serializers.ChoiceField(
        choices=analytics.SATISFACTION_DIMENSIONS, required=False, default="day"
    )

    def get_fields(self):
        # "from" is a Python keyword, so it cannot be declared as an attribute.
        return {"from": DayField(required=False), **super().get_fields()}

    def validate(self, attrs):
        attrs.setdefault("to", self.context["today"])
        attrs.setdefault("from", attrs["to"] - dt.timedelta(days=29))
        if attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": _("'to' must not be before 'from'.")})
        if (attrs["to"] - attrs["from"]).days >= MAX_DAYS:
            raise serializers.ValidationError(
                {"to": _("Ask for at most %(days)s days at once.") % {"days": MAX_DAYS}}
            )
        return attrs


PERIOD_PARAMETERS = [
    OpenApiParameter("from", str, description="first local day (default: 30 days ago)"),
    OpenApiParameter("to", str, description="last local day (default: today)"),
]


def period_of(request, branch_slug: str) -> tuple[analytics.Period, dict]:
    branch = managed_branch(request, branch_slug)
    query = PeriodQuery(
        data=request.query_params, context={"today": branch.local_date(timezone.now())}
    )
    query.is_valid(raise_exception=True)
    values = query.validated_data
    return analytics.Period(branch, values["from"], values["to"]), values


class FunnelView(StaffView):
    @extend_schema(
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("service", str),
            OpenApiParameter("channel", str),
        ],
        responses=s.FunnelOut,
    )
    def get(self, request, branch: str):
        period, values = period_of(request, branch)
        funnel = analytics.funnel(
            period, service=values.get("service"), channel=values.get("channel")
        )
        return Response(s.FunnelOut(funnel).data)


class CSVRenderer(BaseRenderer):
    """``?format=csv``: the rows of a table, comma-separated, with a header row."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        writer = csv.DictWriter(
            out, fieldnames=["key", "count", "avg_score", "avg_wait_minutes"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(data["rows"])
        return out.getvalue()


def recoveries_figures(period: analytics.Period) -> dict:
    summary = recoveries_summary(period)
    return {"won_back": summary["won_back"], "recoveries": summary}


class SatisfactionView(StaffView):
    renderer_classes = [JSONRenderer, CSVRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        # Only the table goes out as CSV; errors (with their detail) and the OPTIONS
        # description stay JSON, whatever format was asked for.
        if not (isinstance(response.data, dict) and "rows" in response.data):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("by", str, enum=list(analytics.SATISFACTION_DIMENSIONS)),
            OpenApiParameter("format", str, enum=["json", "csv"]),
        ],
        responses=s.SatisfactionOut,
    )
    def get(self, request, branch: str):
        period, values = period_of(request, branch)
        response = Response(
            {
                "by": values["by"],
                "from": period.first.isoformat(),
                "to": period.last.isoformat(),
                "rows": analytics.satisfaction(period, values["by"]),
                # Customers re-rating 4-5 after a 1-2 and a personal message.
                **recoveries_figures(period),
            }
        )
        if request.accepted_renderer.format == "csv":
            name = f"satisfaction-{branch}-{values['by']}-{period.first}-{period.last}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class CustomerOut(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "name", "email"]


class CustomerListView(StaffView, generics.ListAPIView):
    serializer_class = CustomerOut

    @extend_schema(parameters=[OpenApiParameter("search", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return analytics.customer_search(
            staff_branches(self.request.user), self.request.query_params.get("search", "")[:100]
        )


def visible_customer(request, customer_id: int, branches) -> Customer:
    return get_object_or_404(analytics.customers_of(branches), id=customer_id)


class JourneyView(StaffView):
    @extend_schema(responses=s.JourneyOut)
    def get(self, request, customer_id: int):
        branches = staff_branches(request.user)
        customer = visible_customer(request, customer_id, branches)
        events = analytics.journey(customer, branches)
        return Response(s.JourneyOut({"customer": customer, "events": events}).data)


class CustomerExportView(StaffView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, customer_id: int):
        managed = managed_branches(request.user)
        customer = visible_customer(request, customer_id, managed)
        response = Response(customer_export(customer, branches=managed))
        response["Content-Disposition"] = f'attachment; filename="customer-{customer.id}.json"'
        return response


class CustomerEraseView(StaffView):
    @extend_schema(request=None, responses=s.ErasedOut)
    def post(self, request, customer_id: int):
        customer = visible_customer(request, customer_id, managed_branches(request.user))
        customer = customer_erase(customer)
        return Response(
            {
                "id": customer.id,
                "anonymized_at": iso(customer.anonymized_at, timezone.get_default_timezone()),
            }
        )


class TicketHistoryView(StaffView):
    """The visitor's last visits, shown to the advisor who calls them."""

    @extend_schema(responses=s.VisitHistoryOut)
    def get(self, request, ticket_id: int):
        ticket: Ticket = staff_ticket(request, ticket_id)
        # What this visitor said they want to talk about, when they booked.
        topic = ticket.appointment.topic if ticket.appointment_id else ""
        visits = (
            analytics.visit_history(ticket.customer, staff_branches(request.user))
            if ticket.customer is not None
            else []
        )
        return Response(s.VisitHistoryOut({"topic": topic, "visits": visits}).data)
