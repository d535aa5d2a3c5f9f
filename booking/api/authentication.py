"""Authentication for kiosk devices (``Authorization: Device <token>``) and staff tokens."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from booking.models import Advisor, Branch, KioskDevice
from booking.selectors.access import branch_of_staff_condition
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
def _token_statement(with_branch: bool) -> tuple[str, list[RowPart]]:
    """The token, its user and the user's advisor (if any), and, ``with_branch``, the
    branch of ``%(slug)s`` if the user works there, in one statement built once per
    process: every call of a desk reads them, and compiling the ORM's
    ``select_related`` cost several times running it."""
    qn = connection.ops.quote_name
    user_model = get_user_model()
    parts = [row_part(Token, "t"), row_part(user_model, "u"), row_part(Advisor, "v")]
    user_pk = qn(user_model._meta.pk.column)
    branch_join = ""
    if with_branch:
        parts.append(row_part(Branch, "b"))
        branch_join = (
            f"LEFT JOIN {qn(Branch._meta.db_table)} b "
            f"ON {branch_of_staff_condition(f'u.{user_pk}')} "
        )
    sql = (
        f"SELECT {select_list(parts)} "
        f"FROM {qn(Token._meta.db_table)} t "
        f"JOIN {qn(user_model._meta.db_table)} u "
        f"ON u.{user_pk} = t.{qn(Token._meta.get_field('user').column)} "
        f"LEFT JOIN {qn(Advisor._meta.db_table)} v "
        f"ON v.{qn(Advisor._meta.get_field('user').column)} = u.{user_pk} "
        f"{branch_join}"
        f"WHERE t.{qn(Token._meta.get_field('key').column)} = %(key)s"
    )
    return sql, parts


def _token_read(key: str, branch_slug: str | None) -> tuple[Token, Branch | None] | None:
    """The token with its user, who comes with their advisor (the desk's calls act as it),
    as ``select_related("user", "user__advisor")`` reads them; and the branch of
    ``branch_slug`` if the user works there."""
    sql, parts = _token_statement(branch_slug is not None)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"key": key, "slug": branch_slug})
        row = cursor.fetchone()
    if row is None:
        return None
    (token, user, advisor, *branch), _rest = rows_build(parts, row)
    token.user = user
    advisor_user = Advisor._meta.get_field("user")
    advisor_user.remote_field.set_cached_value(user, advisor)  # None: the user has none
    if advisor is not None:
        advisor_user.set_cached_value(advisor, user)
    return token, (branch[0] if branch else None)


class StaffTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``. On a branch's path (``branch`` in the URL) the
    branch comes with the token if the user works there: ``IsStaff`` and
    ``staff_branch`` take it from ``request.staff_branch`` instead of reading it again.
    DRF makes an authenticator per request, so the slug may wait on ``self``."""

    keyword = "Token"
    branch_slug: str | None = None
    branch: Branch | None = None

    def authenticate(self, request):
        self.branch_slug = (request.parser_context or {}).get("kwargs", {}).get("branch")
        found = super().authenticate(request)
        if found is not None and self.branch is not None:
            request.staff_branch = self.branch
        return found

    def authenticate_credentials(self, key):
        read = _token_read(key, self.branch_slug)
        if read is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token, self.branch = read
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
