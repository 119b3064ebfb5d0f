#!/usr/bin/python3
"""The Python baseline of bench/run.sh: python3-icalendar serialises the events of events.json.

Only building the calendars and to_ical() are timed (time.perf_counter); reading the JSON is not.
Prints one JSON line: {"feeds": N, "events": E, "seconds": S, "bytes": B}. The bytes are
discarded (coursecal export writes files; this does not, which favours Python).

usage: ical_baseline.py EVENTS_JSON
"""

import datetime
import json
import sys
import time

import icalendar
import pytz


def when(v, zones):
    if "date" in v:
        return datetime.date.fromisoformat(v["date"])
    tz = zones.setdefault(v["tz"], pytz.timezone(v["tz"]))
    return tz.localize(datetime.datetime.fromisoformat(v["datetime"]))


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        catalog = json.load(f)["feeds"]
    stamp = datetime.datetime(2025, 3, 1, tzinfo=pytz.utc)
    zones = {}
    total_bytes = 0
    events = 0
    t0 = time.perf_counter()
    for feed in catalog:
        cal = icalendar.Calendar()
        cal.add("prodid", "-//bench//ical_baseline//EN")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", feed["name"])
        cal.add("x-wr-timezone", feed["timezone"])
        for e in feed["events"]:
            ev = icalendar.Event()
            ev.add("uid", e["uid"])
            ev.add("dtstamp", stamp)
            ev.add("dtstart", when(e["start"], zones))
            ev.add("dtend", when(e["end"], zones))
            ev.add("summary", e["summary"])
            if e.get("location"):
                ev.add("location", e["location"])
            if e.get("description"):
                ev.add("description", e["description"])
            cal.add_component(ev)
            events += 1
        total_bytes += len(cal.to_ical())
    seconds = time.perf_counter() - t0
    print(json.dumps({"feeds": len(catalog), "events": events, "seconds": seconds,
                      "bytes": total_bytes}))


if __name__ == "__main__":
    main()
