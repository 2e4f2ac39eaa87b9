"""Expands an iCalendar course series with Python's icalendar (Debian python3-icalendar) and dateutil.

Prints JSON: the calendar's METHOD, and for each VEVENT its UID, SEQUENCE, LOCATION, URL and CONFERENCE, and the UTC instants
of every occurrence after RECURRENCE-ID overrides and EXDATEs — computed twice, once with the
VTIMEZONE in the file and once with the system's tz database, so a wrong VTIMEZONE shows.
"""
import json
import sys
from datetime import timezone
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar


def naive(value):
    return value.replace(tzinfo=None)


def main(path):
    with open(path, "rb") as f:
        calendar = Calendar.from_ical(f.read())
    vtimezones = {str(tz["TZID"]): tz.to_tz() for tz in calendar.walk("VTIMEZONE")}
    events = calendar.walk("VEVENT")
    master = next(e for e in events if "RRULE" in e)
    tzid = str(master["DTSTART"].params["TZID"])
    start = naive(master.decoded("DTSTART"))
    rule = master["RRULE"].to_ical().decode()
    local_starts = list(rrulestr(rule, dtstart=start))
    exdates = set()
    for exdate in master.get("EXDATE", []) if isinstance(master.get("EXDATE"), list) else [master.get("EXDATE")] if master.get("EXDATE") else []:
        exdates.update(naive(d.dt) for d in exdate.dts)
    overrides = {naive(e.decoded("RECURRENCE-ID")): naive(e.decoded("DTSTART")) for e in events if "RECURRENCE-ID" in e}
    occurrences = [overrides.get(s, s) for s in local_starts if s not in exdates]

    def utc(local, tz):
        aware = tz.localize(local) if hasattr(tz, "localize") else local.replace(tzinfo=tz)
        return aware.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    print(json.dumps({
        "method": str(calendar.get("METHOD")),
        "events": [{"uid": str(e["UID"]), "sequence": int(e.get("SEQUENCE", 0)),
                    "recurrenceId": "RECURRENCE-ID" in e,
                    "location": str(e["LOCATION"]) if "LOCATION" in e else None,
                    "url": str(e["URL"]) if "URL" in e else None,
                    "conference": str(e["CONFERENCE"]) if "CONFERENCE" in e else None} for e in events],
        "viaVtimezone": sorted(utc(o, vtimezones[tzid]) for o in occurrences),
        "viaTzdb": sorted(utc(o, ZoneInfo(tzid)) for o in occurrences),
    }))


if __name__ == "__main__":
    main(sys.argv[1])
