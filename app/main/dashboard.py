"""What the dashboard offers each role."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.auth.roles import Role


@dataclass(frozen=True)
class Card:
    title: object
    text: object
    endpoint: str


CARDS_BY_ROLE: dict[Role, tuple[Card, ...]] = {
    Role.MUNICIPAL_REPORTER: (
        Card(_l("Rapportera lägesbild"),
             _l("Fyll i lager, förbrukning, inkommande leveranser och behov för perioden."),
             "reports.index"),
        Card(_l("Överföringar och ersättning"),
             _l("Skicka och ta emot det logistikberedningen beslutat, och fakturera eller "
                "betala ersättningen."), "execution.transfers"),
    ),
    Role.COUNTY_COORDINATOR: (
        Card(_l("Länets lägesbild"),
             _l("Dagar av tillgång per kommun och material, trender och begäran om stöd."),
             "reports.index"),
        Card(_l("Förslag till omfördelning"),
             _l("Ta fram ett behovsstyrt förslag inför logistikberedningen."),
             "redistribution.index"),
    ),
    Role.LOGISTICS_MEMBER: (
        Card(_l("Logistikberedning"),
             _l("Granska förslaget till omfördelning och länets lägesbild."),
             "redistribution.index"),
    ),
    Role.MUNICIPAL_BUYER: (
        Card(_l("Överföringar och ersättning"),
             _l("Skicka och ta emot det logistikberedningen beslutat, och fakturera eller "
                "betala ersättningen."), "execution.transfers"),
        Card(_l("Samordnade inköp"),
             _l("Registrera erbjudanden från leverantörer och kommunens åtaganden."),
             "procurement.index"),
    ),
    Role.PROCUREMENT_LEAD: (
        Card(_l("Samlade beställningar"),
             _l("Samla kommunernas åtaganden och fördela leveranser efter behov."),
             "procurement.index"),
    ),
    Role.VIEWER: (
        Card(_l("Lägesbild"), _l("Se länets lägesbild."), "reports.index"),
    ),
    Role.ADMIN: (
        Card(_l("Användare och organisationer"),
             _l("Skapa användare, tilldela roller och hantera organisationer."),
             "admin.users"),
    ),
}


def dashboard_cards(user: User) -> list[Card]:
    """The cards for every role the user holds, each destination once, in role order."""
    seen: set[str] = set()
    cards: list[Card] = []
    for role in Role:
        if role not in user.roles:
            continue
        for card in CARDS_BY_ROLE[role]:
            if card.endpoint not in seen:
                seen.add(card.endpoint)
                cards.append(card)
    return cards
