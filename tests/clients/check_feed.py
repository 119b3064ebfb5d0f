"""Checks one .ics feed as calendar clients see it.

usage: /usr/bin/python3 check_feed.py FEED.ics [UID=START | UID=absent]... [--count N]

1. Plain text rules from docs/feed-rules.md (CRLF, folding, METHOD, VTIMEZONE, DTEND, all-day).
2. Three real parsers (python3-icalendar, python3-vobject, ical.js) must report the same number of
   events (= the number of BEGIN:VEVENT lines) and the same start of every event, by UID.
3. Hard-coded samples: START is YYYY-MM-DDTHH:MM:SSZ (a UTC instant) or YYYY-MM-DD (all day).
"""
import datetime
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"  # Debian's, with python3-icalendar and python3-vobject
CLIENTS = {
    "icalendar": [PYTHON, os.path.join(HERE, "client_icalendar.py")],
    "vobject": [PYTHON, os.path.join(HERE, "client_vobject.py")],
    "ical.js": ["node", os.path.join(HERE, "client_icaljs.mjs")],
}


def text_problems(data):
    """Returns the feed-rules violations visible in the bytes themselves."""
    problems = []
    if data.count(b"\n") != data.count(b"\r\n") or data.count(b"\r") != data.count(b"\r\n"):
        problems.append("line endings are not CRLF only")
    if not data.endswith(b"\r\n"):
        problems.append("the file does not end with CRLF")
    if len(data) >= 1_000_000:
        problems.append(f"{len(data)} bytes: Google drops feeds near 1 MB")
    physical = data.split(b"\r\n")[:-1]
    for n, line in enumerate(physical, 1):
        if len(line) > 75:
            problems.append(f"line {n}: {len(line)} octets > 75")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {n}: not UTF-8 on its own (folded inside a UTF-8 sequence?)")
    if b"freeassociation" in data.lower():
        problems.append("a TZID has the /freeassociation.sourceforge.net/ prefix")
    lines = data.replace(b"\r\n ", b"").decode("utf-8", "replace").split("\r\n")[:-1]
    for must in ("BEGIN:VCALENDAR", "VERSION:2.0", "METHOD:PUBLISH"):
        if lines.count(must) != 1:
            problems.append(f"{must!r} appears {lines.count(must)} times, not once")
    if not any(l.startswith("PRODID:") for l in lines):
        problems.append("no PRODID")
    if "BEGIN:VALARM" in lines:
        problems.append("VALARM present (alarms are opt-in)")

    used, defined, stack, block = set(), set(), [], []
    for line in lines:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                block = []
        elif name == "END" and stack:
            if value == "VEVENT":
                problems += vevent_problems(block)
            stack.pop()
        elif stack and stack[-1] == "VEVENT":
            block.append(line)
        if name == "TZID" and "VTIMEZONE" in stack:
            defined.add(value)
        used.update(re.findall(r";TZID=\"?([^;:\"]+)", name))
    for tzid in sorted(used - defined):
        problems.append(f"TZID {tzid} is used but has no VTIMEZONE")
    problems += vtimezone_problems(lines)
    return problems, lines.count("BEGIN:VEVENT")


def vevent_problems(props):
    uid = next((p[4:] for p in props if p.startswith("UID:")), "?")
    start = next((p for p in props if p.startswith("DTSTART")), None)
    end = next((p for p in props if p.startswith("DTEND")), None)
    if start is None or end is None:
        return [f"{uid}: no DTSTART" if start is None else f"{uid}: no DTEND"]
    if ";VALUE=DATE:" not in start:
        # Rule 6: local wall-clock time with a TZID, never floating, never a frozen UTC instant.
        return [f"{uid}: {p!r} has no TZID" for p in (start, end) if ";TZID=" not in p]
    if ";VALUE=DATE:" not in end:
        return [f"{uid}: all-day DTSTART but DTEND {end!r} is not a date"]
    day = datetime.datetime.strptime(start.rsplit(":", 1)[1], "%Y%m%d").date()
    want = (day + datetime.timedelta(days=1)).strftime("%Y%m%d")
    if end.rsplit(":", 1)[1] != want:
        return [f"{uid}: all-day {start!r} must end {want} (the next day), not {end!r}"]
    return []


def vtimezone_problems(lines):
    """Each VTIMEZONE has a STANDARD and a DAYLIGHT observance, each with a yearly RRULE."""
    problems, tzid, seen = [], None, {}
    for line in lines:
        if line == "BEGIN:VTIMEZONE":
            tzid, seen = "?", {}
        elif tzid and line.startswith("TZID:"):
            tzid = line[5:]
        elif tzid and line in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"):
            current = line[6:]
            seen.setdefault(current, set())
        elif tzid and seen and line.split(":")[0] in ("RRULE", "TZOFFSETFROM", "TZOFFSETTO"):
            seen[current].add(line.split(":")[0] + (":YEARLY" if "FREQ=YEARLY" in line else ""))
        elif line == "END:VTIMEZONE":
            for kind in ("STANDARD", "DAYLIGHT"):
                have = seen.get(kind, set())
                for need in ("RRULE:YEARLY", "TZOFFSETFROM", "TZOFFSETTO"):
                    if need not in have:
                        problems.append(f"VTIMEZONE {tzid}: {kind} has no {need}")
            tzid = None
    return problems


def run_client(name, path, problems):
    """Returns the client's {"count", "starts"}, or None after recording why it failed."""
    env = dict(os.environ, TZ="UTC")
    r = subprocess.run(CLIENTS[name] + [path], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        out = [l for l in (r.stderr + r.stdout).splitlines() if l.strip()]
        why = [l for l in out if "Error" in l or l.startswith(name + ":")] or out or ["no output"]
        problems.append(f"{name} failed (exit {r.returncode}): {why[-1].strip()[:300]}")
        return None
    return json.loads(r.stdout)


def main(argv):
    path, expect, count = argv[0], {}, None
    args = iter(argv[1:])
    for a in args:
        if a == "--count":
            count = int(next(args))
        else:
            uid, _, start = a.partition("=")
            expect[uid] = start
    with open(path, "rb") as f:
        problems, vevents = text_problems(f.read())

    results = {name: run_client(name, path, problems) for name in CLIENTS}
    results = {name: r for name, r in results.items() if r is not None}
    for name, r in results.items():
        if r["count"] != vevents:
            problems.append(f"{name} sees {r['count']} events, the file has {vevents} BEGIN:VEVENT")
    if count is not None and vevents != count:
        problems.append(f"{vevents} events, expected {count}")
    base_name, base = next(iter(results.items()), (None, {"starts": {}}))
    for name, r in results.items():
        for uid in sorted(set(base["starts"]) | set(r["starts"])):
            a, b = base["starts"].get(uid), r["starts"].get(uid)
            if a != b:
                problems.append(f"{uid}: {base_name} says {a}, {name} says {b}")
    for uid, want in expect.items():
        for name, r in results.items():
            got = r["starts"].get(uid, "absent")
            if got != want:
                problems.append(f"{uid}: expected {want}, {name} says {got}")

    for p in problems:
        print(f"FAIL {path}: {p}", file=sys.stderr)
    if problems:
        return 1
    if len(results) != len(CLIENTS):
        return 1  # unreachable: a failed client is a problem
    print(f"ok {path}: {vevents} events, same starts in {', '.join(results)};"
          f" {len(expect)} samples as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
