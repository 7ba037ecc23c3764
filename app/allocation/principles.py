"""The allocation principles: their codes and their definitions in plain words.

The codes are what callers pass as ``principle``; the texts are for the user interface's
help. ``FAIRNESS_PRINCIPLE_SV`` / ``_EN`` keep naming the default principle.
"""

EQUAL_DAYS = "equal_days"
PROPORTIONAL_TO_NEED = "proportional_to_need"
PER_CAPITA = "per_capita"
REDISTRIBUTION_PRINCIPLES = (EQUAL_DAYS, PROPORTIONAL_TO_NEED, PER_CAPITA)

_GIVERS_ABOVE_HORIZON_SV = (
    "Bara kommuner som har mer än planeringshorisonten ger, ur lager de har i handen, och "
    "aldrig så mycket att de hamnar under horisonten eller sin säkerhetsnivå."
)
_GIVERS_ABOVE_HORIZON_EN = (
    "Only municipalities with more than the planning horizon give, from stock in hand, and "
    "never so much that they end below the horizon or their safety floor."
)
_RULES_SV = (
    "Allt flyttas i hela förpackningar, en kommun som inte förbrukar materialet får inget, och "
    "bland lika rättvisa förslag väljs det med minst antal överlämningar."
)
_RULES_EN = (
    "Everything moves in whole packs, a municipality that uses none of the material gets "
    "none, and among equally fair proposals the one with the fewest handovers wins."
)

PRINCIPLE_TEXTS_SV = {
    EQUAL_DAYS: (
        "Lika många dagars förbrukning: den kommun som har minst material i förhållande till "
        "sin dagliga förbrukning får först, sedan nästa, tills alla som hade brist når samma "
        "antal dagar, så högt som länets överskott räcker till (aldrig över "
        "planeringshorisonten). Solidaritet med gräns: en kommun ger bara ur lager den har i "
        "handen, hamnar aldrig under den nivå den lyfter andra till och aldrig under sin "
        "säkerhetsnivå. Bland förslag som är lika rättvisa väljs det med minst antal "
        "överlämningar och minst mängd att flytta."
    ),
    PROPORTIONAL_TO_NEED: (
        "I proportion till behovet: en kommuns behov är det som fattas för att nå "
        "planeringshorisonten (dagar gånger daglig förbrukning, minus lager och det som är på "
        "väg). Varje kommun med brist får samma andel av sitt behov, hela behovet om "
        "överskottet räcker. " + _GIVERS_ABOVE_HORIZON_SV + " " + _RULES_SV
    ),
    PER_CAPITA: (
        "Per invånare: länets överskott delas mellan kommunerna med brist i proportion till "
        "deras folkmängd, så att alla får lika mycket per invånare, men ingen får mer än den "
        "behöver för att nå planeringshorisonten; det som blir över delas på samma sätt mellan "
        "de andra. " + _GIVERS_ABOVE_HORIZON_SV + " " + _RULES_SV
    ),
}

PRINCIPLE_TEXTS_EN = {
    EQUAL_DAYS: (
        "Equal days of supply: the municipality with the least material relative to its daily "
        "use is served first, then the next, until everyone who was short reaches the same "
        "number of days, as high as the county's surplus allows (never above the planning "
        "horizon). Solidarity with a limit: a municipality gives only from stock in hand, never "
        "ends below the level it lifts others to and never below its safety floor. Among "
        "equally fair proposals, the one with the fewest handovers and the least quantity "
        "moved wins."
    ),
    PROPORTIONAL_TO_NEED: (
        "Proportional to need: a municipality's need is what it lacks to reach the planning "
        "horizon (days times daily use, less its stock and what is on its way). Every short "
        "municipality gets the same share of its need, all of it if the surplus allows. "
        + _GIVERS_ABOVE_HORIZON_EN
        + " "
        + _RULES_EN
    ),
    PER_CAPITA: (
        "Per capita: the county's surplus is shared among the short municipalities in "
        "proportion to their population, so that everyone gets as much per inhabitant, but "
        "nobody more than it needs to reach the planning horizon; what that leaves over is "
        "shared the same way among the others. " + _GIVERS_ABOVE_HORIZON_EN + " " + _RULES_EN
    ),
}

FAIRNESS_PRINCIPLE_SV = PRINCIPLE_TEXTS_SV[EQUAL_DAYS]
FAIRNESS_PRINCIPLE_EN = PRINCIPLE_TEXTS_EN[EQUAL_DAYS]
