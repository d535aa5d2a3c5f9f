"""Authentication for kiosk devices (``Authorization: Device <token>``) and staff tokens."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from booking.models import KioskDevice
from booking.services.devices import device_for_token, device_seen


class DeviceUser:
    """Stands in for ``request.user`` when a kiosk device is calling."""

    is_authenticated = True
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, device: KioskDevice) -> None:
        self.device = device

    def __str__(self) -> str:
        return f"device {self.device}"


class DeviceAuthentication(authentication.BaseAuthentication):
    keyword = "Device"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid device header."))
        token = parts[1].decode(errors="replace")
        device = device_for_token(token)
        if device is None:
            raise exceptions.AuthenticationFailed(_("Unknown device token."))
        if not device.is_active:
            raise exceptions.AuthenticationFailed(_("This device has been revoked."))
        device_seen(device)
        return DeviceUser(device), device

    def authenticate_header(self, request) -> str:
        return self.keyword


class StaffTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        # The user's advisor comes along in the same query: the desk's calls act as it.
        try:
            token = Token.objects.select_related("user", "user__advisor").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token


class DeviceAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents the ``Device`` scheme in the OpenAPI schema."""

    target_class = DeviceAuthentication
    name = "deviceToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Kiosk device token, sent as `Device <token>`.",
        }
