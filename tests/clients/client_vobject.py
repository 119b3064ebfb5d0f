"""python3-vobject: validates FILE, then prints {"count": N, "starts": {UID: start}}.

Run with /usr/bin/python3 (Debian's python3-vobject). vobject builds its tzinfo from the feed's
own VTIMEZONE, so these instants check the VTIMEZONE, not a local zone database.
"""
import datetime
import json
import sys

import vobject

with open(sys.argv[1], encoding="utf-8", newline="") as f:
    cal = vobject.readOne(f.read())
try:
    cal.validate()
except vobject.base.ValidateError as e:
    sys.exit(f"vobject: validate() failed: {e}")

starts = {}
events = list(getattr(cal, "vevent_list", []))
for ev in events:
    uid = ev.uid.value
    start = ev.dtstart.value
    if not hasattr(ev, "dtend"):
        sys.exit(f"vobject: {uid}: no DTEND")
    if not isinstance(start, datetime.datetime):
        starts[uid] = start.isoformat()
    elif start.tzinfo is None:
        sys.exit(f"vobject: {uid}: floating time {start}")
    else:
        starts[uid] = start.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
print(json.dumps({"count": len(events), "starts": starts}, indent=1))
