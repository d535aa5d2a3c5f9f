from .base import KioskScreen


class ContactScreen(KioskScreen):
    """After a rating of 1 or 2 of a known visit: may the branch get in touch?"""
