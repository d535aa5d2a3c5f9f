"""Forms of the customer pages; the rules themselves stay in the booking services."""

from __future__ import annotations

import secrets

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from booking.services.appointments import TOPIC_MAX_LENGTH
from booking.validators import phone_validator, refuse_control_characters, strip_control_characters

LANGUAGES = [("de", "Deutsch"), ("en", "English")]


class DetailsForm(forms.Form):
    """Who is coming: the customer's part of a booking."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        validators=[refuse_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
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
    # One-time: a double click or a resent form books once (see ``form_token_key``).
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_topic(self) -> str:
        return strip_control_characters(self.cleaned_data["topic"]).strip()

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name


class PhoneForm(forms.Form):
    """The mobile number of one booking's SMS reminder (empty: no SMS)."""

    phone = forms.CharField(
        label=_("Mobile number for the SMS reminder"),
        max_length=40,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class RescheduleForm(forms.Form):
    start = forms.CharField(widget=forms.HiddenInput)


FORM_TOKEN_SALT = "booking.web.form-token"
FORM_TOKEN_MAX_AGE = 6 * 3600


def form_token_new() -> str:
    """A signed one-time token for one filled-in booking form."""
    return signing.dumps(secrets.token_urlsafe(16), salt=FORM_TOKEN_SALT)


def form_token_key(token: str) -> str | None:
    """The idempotency key a form's token stands for; None if forged or too old."""
    try:
        nonce = signing.loads(token, salt=FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return f"form:{nonce}"
