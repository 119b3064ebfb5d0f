"""python3-icalendar: prints {"count": N, "starts": {UID: start}} for FILE.

Run with /usr/bin/python3 (Debian's python3-icalendar). Timed starts are UTC instants; all-day
starts are dates. A floating (zone-less) time is an error: Google shows it as UTC.
"""
import datetime
import json
import sys

import icalendar

with open(sys.argv[1], "rb") as f:
    cal = icalendar.Calendar.from_ical(f.read())  # raises on more than one VCALENDAR

starts = {}
events = list(cal.walk("VEVENT"))
for ev in events:
    uid = str(ev["UID"])
    start = ev["DTSTART"].dt
    if "DTEND" not in ev:
        sys.exit(f"icalendar: {uid}: no DTEND")
    if not isinstance(start, datetime.datetime):
        starts[uid] = start.isoformat()
    elif start.tzinfo is None:
        sys.exit(f"icalendar: {uid}: floating time {start}")
    else:
        starts[uid] = start.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
print(json.dumps({"count": len(events), "starts": starts}, indent=1))
