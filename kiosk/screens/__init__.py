"""One module (behaviour) and one .kv file (layout) per screen."""

from .code import CodeScreen
from .contact import ContactScreen
from .home import HomeScreen
from .message import MessageScreen
from .rating import RatingScreen
from .result import ResultScreen
from .services import ServicesScreen
from .thanks import ThanksScreen
from .ticket import TicketScreen

SCREENS = {
    "home": HomeScreen,
    "code": CodeScreen,
    "result": ResultScreen,
    "services": ServicesScreen,
    "ticket": TicketScreen,
    "rating": RatingScreen,
    "contact": ContactScreen,
    "thanks": ThanksScreen,
    "message": MessageScreen,
}
