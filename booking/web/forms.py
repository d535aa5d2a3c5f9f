"""Forms of the customer pages; the rules themselves stay in the booking services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from booking.api.serializers import phone_validator
from booking.services.appointments import TOPIC_MAX_LENGTH
from booking.services.text import text_clean

LANGUAGES = [("de", "Deutsch"), ("en", "English")]


class DetailsForm(forms.Form):
    """Who is coming: the customer's part of a booking."""

    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=_("Mobile number (optional, for an SMS reminder)"),
        max_length=40,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    language = forms.ChoiceField(label=_("Language of our messages"), choices=LANGUAGES)
    topic = forms.CharField(
        label=_("What would you like to talk about? (optional)"),
        help_text=_("Your advisor can prepare for your visit."),
        max_length=TOPIC_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("I agree that my details are used to manage this appointment."),
        error_messages={"required": _("Please agree to the privacy notice to book.")},
    )
    start = forms.CharField(widget=forms.HiddenInput)
    advisor = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def clean_topic(self) -> str:
        return text_clean(self.cleaned_data["topic"])

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name


class RescheduleForm(forms.Form):
    start = forms.CharField(widget=forms.HiddenInput)
