"""The fairness principle in plain words, for the user interface's help text."""

FAIRNESS_PRINCIPLE_SV = (
    "Lika många dagars förbrukning: den kommun som har minst material i förhållande till sin "
    "dagliga förbrukning får först, sedan nästa, tills alla som hade brist når samma antal "
    "dagar, så högt som länets överskott räcker till (aldrig över planeringshorisonten). "
    "Solidaritet med gräns: en kommun ger bara ur lager den har i handen, hamnar aldrig under "
    "den nivå den lyfter andra till och aldrig under sin säkerhetsnivå. Bland förslag som är "
    "lika rättvisa väljs det med minst antal överlämningar och minst mängd att flytta."
)

FAIRNESS_PRINCIPLE_EN = (
    "Equal days of supply: the municipality with the least material relative to its daily use "
    "is served first, then the next, until everyone who was short reaches the same number of "
    "days, as high as the county's surplus allows (never above the planning horizon). "
    "Solidarity with a limit: a municipality gives only from stock in hand, never ends below "
    "the level it lifts others to and never below its safety floor. Among equally fair "
    "proposals, the one with the fewest handovers and the least quantity moved wins."
)
