"""Unmanaged views of the project's tables: the baseline reads and writes the same rows
as the project without importing any of its code."""

from django.db import models


class AppointmentRow(models.Model):
    code = models.CharField(max_length=16)
    checked_in_at = models.DateTimeField(null=True)

    class Meta:
        managed = False
        db_table = "booking_appointment"

    def __str__(self) -> str:
        return self.code
