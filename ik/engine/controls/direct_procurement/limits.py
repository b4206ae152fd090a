"""The direct-procurement limit (direktupphandlingsgränsen) under LOU, by the date it applies.

Until 31 January 2022 the limit was 28 % of the EU threshold for goods and services bought
by municipalities and regions, so it moved each time the thresholds were revised (every two
years, from 1 January). From 1 February 2022 it is a fixed amount, 700 000 kr.

Sources (checked when the table was written):
- 505 800 kr from 1 July 2014, when the 28 % rule came in (before: 270 964 kr):
  epis.se 2014-02-18 "Lagförslag; direktupphandlingsgränsen för LOU blir 505.800 kr" and
  byggvarlden.se "Höjd gräns för direktupphandling".
- 534 890 kr from 1 January 2016 (28 % of 1 910 323 kr): sjobo.se "Nya tröskelvärden från och
  med 2016-01-01"; xeeda.se "Nya tröskelvärden för upphandling enligt LOU" (2015-12-28).
- 586 907 kr from 1 January 2018: Konkurrensverket, "Tröskelvärden och
  direktupphandlingsgränser 1 januari 2018–31 december 2019"; Upphandlingsmyndigheten.
- 615 312 kr from 1 January 2020: Konkurrensverket, "Gamla tröskelvärden" (1 januari 2020–31
  december 2021); inkopsradet.se "Snart höjs direktupphandlingsgränserna".
- 700 000 kr from 1 February 2022 (riksdagen decided 17 November 2021): sinfra.se "Nya regler
  för upphandling enligt LUF" (date in force); republify.se "Upphandlingsgränser från och med
  1 februari 2022"; Konkurrensverket, "Gamla tröskelvärden" (2022–2023: 700 000 kr).
The sources give no separate figure for January 2022; the table keeps 615 312 kr until the
fixed amount took effect. Dates before 1 July 2014 have no limit here: give one explicitly.
An organisation with a lower limit of its own sets it in its procurement settings.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

LOU_LIMITS: tuple[tuple[dt.date, Decimal], ...] = (
    (dt.date(2014, 7, 1), Decimal(505_800)),
    (dt.date(2016, 1, 1), Decimal(534_890)),
    (dt.date(2018, 1, 1), Decimal(586_907)),
    (dt.date(2020, 1, 1), Decimal(615_312)),
    (dt.date(2022, 2, 1), Decimal(700_000)),
)


def limit_on(
    day: dt.date, table: tuple[tuple[dt.date, Decimal], ...] = LOU_LIMITS
) -> Decimal | None:
    """The limit in force on `day`, or None before the table's first date."""
    found = None
    for start, amount in table:
        if start <= day:
            found = amount
    return found
