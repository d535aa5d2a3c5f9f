"""Permission checks for kiosk devices and staff."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied

from booking.models import Branch, DeviceMode, KioskDevice
from booking.selectors.access import (
    advisor_of,
    is_staff_member,
    managed_branches,
    staff_branch_of,
)


class IsKioskDevice(permissions.BasePermission):
    message = _("This call needs a kiosk device token.")

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, KioskDevice)


def require_mode(device: KioskDevice, *modes: str) -> None:
    if device.mode not in (*modes, DeviceMode.BOTH):
        raise PermissionDenied(_("This kiosk is not set up for this."))


class IsStaff(permissions.BasePermission):
    """A member of staff. On a branch's path the branch is read here, once, unless the
    staff token brought it: a user who works there is staff, and ``staff_branch`` takes
    it from the request."""

    message = _("Please log in with a staff account of this branch.")

    def has_permission(self, request, view) -> bool:
        slug = view.kwargs.get("branch")
        if slug is not None:
            branch = getattr(request, "staff_branch", None)  # a token brings it
            if branch is None or branch.slug != slug:
                branch = staff_branch_of(request.user, slug)
            if branch is not None:
                request.staff_branch = branch
                return True
        return is_staff_member(request.user)


def staff_branch(request, slug: str) -> Branch:
    """The branch if the user works there; 404 otherwise (existence is not revealed)."""
    branch = getattr(request, "staff_branch", None)
    if branch is not None and branch.slug == slug:
        return branch
    branch = staff_branch_of(request.user, slug)
    if branch is None:
        raise Http404
    return branch


def managed_branch(request, slug: str) -> Branch:
    branch = staff_branch(request, slug)
    if not managed_branches(request.user).filter(id=branch.id).exists():
        raise PermissionDenied(_("Only the branch's managers may see this."))
    return branch


def acting_advisor(request):
    advisor = advisor_of(request.user)
    if advisor is None:
        raise PermissionDenied(_("Only advisors can call and serve visitors."))
    return advisor
