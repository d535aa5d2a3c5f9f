"""The made-up customers of the demo history."""

from __future__ import annotations

import random

from booking.services.appointments import CustomerData

HISTORY_DOMAIN = "history.example"
FIRST_NAMES = [
    "Lukas",
    "Anna",
    "Jonas",
    "Mia",
    "Paul",
    "Lena",
    "Felix",
    "Emma",
    "Leon",
    "Sofia",
    "Noah",
    "Hannah",
    "Elias",
    "Marie",
    "Ben",
    "Lea",
    "Finn",
    "Clara",
    "Emil",
    "Ida",
]
LAST_NAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
]


def customers(rng: random.Random, branch_slug: str, count: int) -> list[CustomerData]:
    """Regulars of one branch: about one in three left a mobile number for reminders."""
    return [
        CustomerData(
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            email=f"kunde{n}.{branch_slug}@{HISTORY_DOMAIN}",
            phone=f"+49 170 {rng.randrange(10**6, 10**7)}" if rng.random() < 0.3 else "",
            language=rng.choice(["de", "de", "de", "en"]),
        )
        for n in range(count)
    ]
