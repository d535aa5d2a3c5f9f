"""Authentication for kiosk devices (``Authorization: Device <token>``) and staff tokens."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from booking.models import Advisor, KioskDevice
from booking.selectors.rows import RowPart, row_part, rows_build, select_list
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


@functools.cache
def _token_statement() -> tuple[str, list[RowPart]]:
    """The token, its user and the user's advisor (if any) in one statement built once
    per process: every call of a desk reads it, and compiling the ORM's
    ``select_related`` cost several times running it."""
    qn = connection.ops.quote_name
    user_model = get_user_model()
    parts = [row_part(Token, "t"), row_part(user_model, "u"), row_part(Advisor, "v")]
    user_pk = qn(user_model._meta.pk.column)
    sql = (
        f"SELECT {select_list(parts)} "
        f"FROM {qn(Token._meta.db_table)} t "
        f"JOIN {qn(user_model._meta.db_table)} u "
        f"ON u.{user_pk} = t.{qn(Token._meta.get_field('user').column)} "
        f"LEFT JOIN {qn(Advisor._meta.db_table)} v "
        f"ON v.{qn(Advisor._meta.get_field('user').column)} = u.{user_pk} "
        f"WHERE t.{qn(Token._meta.get_field('key').column)} = %s"
    )
    return sql, parts


def _token_read(key: str) -> Token | None:
    """The token with its user, who comes with their advisor (the desk's calls act as it),
    as ``select_related("user", "user__advisor")`` reads them."""
    sql, parts = _token_statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        row = cursor.fetchone()
    if row is None:
        return None
    (token, user, advisor), _rest = rows_build(parts, row)
    token.user = user
    advisor_user = Advisor._meta.get_field("user")
    advisor_user.remote_field.set_cached_value(user, advisor)  # None: the user has none
    if advisor is not None:
        advisor_user.set_cached_value(advisor, user)
    return token


class StaffTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = _token_read(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
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
