"""A district dissolved in the 2025 reorganisation, for the tests of every app that refuses
units which no longer exist (``org/validity.py``)."""

from __future__ import annotations

import datetime as dt

from daotao.org.models import Succession, SuccessionKind, UnitKind
from daotao.testing import make_unit

DISSOLVED_ON = dt.date(2025, 6, 30)
CREATED_ON = dt.date(2025, 7, 1)


def dissolved_district(province, code: str = "H09"):
    """Huyện Cũ (``code``), valid until 30/06/2025, merged into Xã Mới Hợp (created
    01/07/2025, below the province): the district and its successor."""
    district = make_unit(code, "Huyện Cũ", UnitKind.DISTRICT, province, valid_to=DISSOLVED_ON)
    commune = make_unit(f"{code}-X", "Xã Mới Hợp", UnitKind.COMMUNE, province, valid_from=CREATED_ON)
    Succession.objects.create(
        predecessor=district, successor=commune, effective_date=CREATED_ON, kind=SuccessionKind.MERGED
    )
    return district, commune
