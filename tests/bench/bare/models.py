"""Unmanaged views of the project's tables: the baseline reads and writes the same rows
as the project without importing any of its code."""

from django.db import models


class BranchRow(models.Model):
    slug = models.SlugField()
    timezone = models.CharField(max_length=64)
    slot_minutes = models.PositiveSmallIntegerField()
    min_lead_minutes = models.PositiveIntegerField()
    horizon_days = models.PositiveIntegerField()
    active = models.BooleanField()

    class Meta:
        managed = False
        db_table = "booking_branch"

    def __str__(self) -> str:
        return self.slug


class ServiceRow(models.Model):
    slug = models.SlugField()
    duration_minutes = models.PositiveIntegerField()
    buffer_before_minutes = models.PositiveIntegerField()
    buffer_after_minutes = models.PositiveIntegerField()
    active = models.BooleanField()

    class Meta:
        managed = False
        db_table = "booking_service"

    def __str__(self) -> str:
        return self.slug


class AdvisorRow(models.Model):
    name = models.CharField(max_length=120)
    active = models.BooleanField()
    branches = models.ManyToManyField(BranchRow, through="AdvisorBranchRow")
    services = models.ManyToManyField(ServiceRow, through="AdvisorServiceRow")

    class Meta:
        managed = False
        db_table = "booking_advisor"

    def __str__(self) -> str:
        return self.name


class AdvisorBranchRow(models.Model):
    advisor = models.ForeignKey(AdvisorRow, on_delete=models.DO_NOTHING)
    branch = models.ForeignKey(BranchRow, on_delete=models.DO_NOTHING)

    class Meta:
        managed = False
        db_table = "booking_advisor_branches"

    def __str__(self) -> str:
        return f"{self.advisor_id}@{self.branch_id}"


class AdvisorServiceRow(models.Model):
    advisor = models.ForeignKey(AdvisorRow, on_delete=models.DO_NOTHING)
    service = models.ForeignKey(ServiceRow, on_delete=models.DO_NOTHING)

    class Meta:
        managed = False
        db_table = "booking_advisor_services"

    def __str__(self) -> str:
        return f"{self.advisor_id}:{self.service_id}"


class WorkingHoursRow(models.Model):
    advisor = models.ForeignKey(AdvisorRow, on_delete=models.DO_NOTHING)
    branch = models.ForeignKey(BranchRow, on_delete=models.DO_NOTHING)
    weekday = models.PositiveSmallIntegerField()
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        managed = False
        db_table = "booking_workinghours"

    def __str__(self) -> str:
        return f"{self.weekday} {self.start}-{self.end}"


class AbsenceRow(models.Model):
    advisor = models.ForeignKey(AdvisorRow, on_delete=models.DO_NOTHING)
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "booking_absence"

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"


class ClosureRow(models.Model):
    branch = models.ForeignKey(BranchRow, on_delete=models.DO_NOTHING)
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        managed = False
        db_table = "booking_closure"

    def __str__(self) -> str:
        return f"{self.start_date}-{self.end_date}"


class AppointmentRow(models.Model):
    code = models.CharField(max_length=16)
    checked_in_at = models.DateTimeField(null=True)
    advisor = models.ForeignKey(AdvisorRow, on_delete=models.DO_NOTHING, null=True)
    status = models.CharField(max_length=12)
    occupied_from = models.DateTimeField()
    occupied_until = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "booking_appointment"

    def __str__(self) -> str:
        return self.code
