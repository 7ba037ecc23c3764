"""Who may do what with a county's redistribution."""
from __future__ import annotations

import pytest

from app.auth.roles import Role
from app.core.models import OrgKind
from tests.helpers import page_csrf
from tests.redistribution.conftest import open_round

BOARD_22 = ("Länsstyrelsen Västernorrland", OrgKind.COUNTY_BOARD)
BOARD_18 = ("Länsstyrelsen i Örebro län", OrgKind.COUNTY_BOARD)
#: who → (can read the round, can edit it, can comment on it)
WHO = {
    "coordinator": (BOARD_22, Role.COUNTY_COORDINATOR, (200, 200, 200)),
    "logistics member": (BOARD_22, Role.LOGISTICS_MEMBER, (200, 403, 200)),
    "logistics member of a municipality": (("Timrå", OrgKind.MUNICIPALITY),
                                           Role.LOGISTICS_MEMBER, (200, 403, 200)),
    "municipal reporter": (("Kramfors", OrgKind.MUNICIPALITY), Role.MUNICIPAL_REPORTER,
                           (200, 403, 403)),
    "national viewer": (("Socialstyrelsen", OrgKind.NATIONAL_BOARD), Role.VIEWER,
                        (200, 403, 403)),
    "coordinator of another county": (BOARD_18, Role.COUNTY_COORDINATOR, (403, 403, 403)),
    "procurement lead": (("Region Västernorrland", OrgKind.REGION), Role.PROCUREMENT_LEAD,
                         (403, 403, 403)),
}


@pytest.mark.parametrize("who", sorted(WHO))
def test_round_permissions(client, reported, logged_in, who: str) -> None:
    round_ = open_round(client)
    line = round_.latest.transfers[0]
    (org_name, kind), role, expected = WHO[who]
    logged_in(org_name, role, kind=kind)
    url = f"/omfordelning/omgang/{round_.id}"
    token = page_csrf(client, "/")
    headers = {"HX-Request": "true", "X-CSRFToken": token}
    key = {"material_id": line.material_id, "giver_id": line.giver_id,
           "receiver_id": line.receiver_id}
    read = client.get(url).status_code
    edit = client.post(f"{url}/rad", data={**key, "quantity": line.quantity,
                                           "base_version": 1}, headers=headers).status_code
    comment = client.post(f"{url}/kommentar", data={**key, "text": "Ok"},
                          headers=headers).status_code
    assert (read, edit, comment) == expected
