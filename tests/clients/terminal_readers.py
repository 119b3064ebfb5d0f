"""khal and calcurse (Debian's terminal calendars) import each FEED and must read every event as
python3-icalendar does: its start, end, all-day flag and summary, for a reader in each time zone
named with --zones (default America/Los_Angeles and Asia/Tokyo).

usage: /usr/bin/python3 terminal_readers.py [--zones Z1,Z2] FEED.ics...
Prints one line per disagreement and exits 1 when there is any; exits 77 when khal or calcurse is
not installed. Times are compared in the reader's zone, to the minute; all-day events by their
first and last day (inclusive).
"""
import collections
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zoneinfo

import icalendar

Event = collections.namedtuple("Event", "start end all_day summary")


def expected(path, zone):
    """What python3-icalendar reads, in the reader's zone."""
    tz = zoneinfo.ZoneInfo(zone)
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    out = collections.Counter()
    for ev in cal.walk("VEVENT"):
        start, end = ev["DTSTART"].dt, ev["DTEND"].dt
        summary = str(ev["SUMMARY"])
        if isinstance(start, datetime.datetime):
            fmt = "%Y-%m-%d %H:%M"
            out[Event(start.astimezone(tz).strftime(fmt), end.astimezone(tz).strftime(fmt),
                      False, summary)] += 1
        else:
            last = end - datetime.timedelta(days=1)
            out[Event(start.isoformat(), last.isoformat(), True, summary)] += 1
    return out


def khal_reads(path, zone, tmp):
    """khal 0.10: import into a fresh calendar, list the whole span, one line per event (uid)."""
    cal = os.path.join(tmp, "khal-cal")
    os.makedirs(cal)
    config = os.path.join(tmp, "khal.conf")
    with open(config, "w") as f:
        f.write(f"""[calendars]
[[c]]
path = {cal}
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = {zone}
default_timezone = {zone}
""")
    env = dict(os.environ, TZ=zone, HOME=tmp, XDG_DATA_HOME=tmp, XDG_CONFIG_HOME=tmp)
    run = subprocess.run(["khal", "-c", config, "import", "--batch", "-a", "c", path],
                         capture_output=True, text=True, env=env)
    warnings = [l for l in (run.stdout + run.stderr).splitlines() if l.strip()]
    if run.returncode != 0:
        return None, [f"khal import failed: {run.stderr.strip()}"]
    listing = subprocess.run(
        ["khal", "-c", config, "list", "--format", "{uid}\x1f{start}\x1f{end}\x1f{title}",
         "--day-format", "", "1970-01-01", "2100-01-01"],
        capture_output=True, text=True, env=env, check=True).stdout
    seen = {}
    for line in listing.splitlines():
        if "\x1f" not in line:
            continue
        uid, start, end, title = line.split("\x1f")
        all_day = len(start) == 10
        seen[uid] = Event(start, end, all_day, title)  # an event over days is listed each day
    return collections.Counter(seen.values()), warnings


APT = re.compile(r"^(\d\d)/(\d\d)/(\d{4}) @ (\d\d):(\d\d) -> (\d\d)/(\d\d)/(\d{4}) @ (\d\d):(\d\d)"
                 r"(?:>[0-9a-f]+)? \|(.*)$")
DAY_EVENT = re.compile(r"^(\d\d)/(\d\d)/(\d{4}) \[\d+\](?:>[0-9a-f]+)? (.*)$")


def calcurse_reads(path, zone, tmp):
    """calcurse 4.7: import into a fresh data folder (times become the reader's local time) and
    read back its own store, which is what it shows."""
    data = os.path.join(tmp, "calcurse")
    os.makedirs(data)
    env = dict(os.environ, TZ=zone, HOME=tmp)
    run = subprocess.run(["calcurse", "-D", data, "-i", path], capture_output=True, text=True,
                         env=env)
    report = run.stdout + run.stderr
    skipped = re.search(r"(\d+) skipped", report)
    problems = []
    if run.returncode != 0 or (skipped and skipped.group(1) != "0"):
        problems.append("calcurse skipped events: " + " ".join(report.split()))
    out = collections.Counter()
    for name in ("apts",):
        store = os.path.join(data, name)
        if not os.path.exists(store):
            continue
        with open(store, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                m = APT.match(line)
                if m:
                    g = m.groups()
                    start = f"{g[2]}-{g[0]}-{g[1]} {g[3]}:{g[4]}"
                    end = f"{g[7]}-{g[5]}-{g[6]} {g[8]}:{g[9]}"
                    if g[3:5] == ("00", "00") and g[8:10] == ("00", "00") and start != end:
                        # A span of whole days: calcurse's form of a multi-day all-day event.
                        first = datetime.date.fromisoformat(start[:10])
                        last = datetime.date.fromisoformat(end[:10]) - datetime.timedelta(days=1)
                        out[Event(first.isoformat(), last.isoformat(), True, g[10])] += 1
                    else:
                        out[Event(start, end, False, g[10])] += 1
                    continue
                m = DAY_EVENT.match(line)
                if m:
                    g = m.groups()
                    d = f"{g[2]}-{g[0]}-{g[1]}"
                    out[Event(d, d, True, g[3])] += 1
                    continue
                problems.append(f"calcurse stored a line this test cannot read: {line!r}")
    return out, problems


def compare(name, reader, want, got):
    lines = []
    for ev in sorted((want - got).elements()):
        lines.append(f"{name}: {reader} misses or misreads {ev}")
    for ev in sorted((got - want).elements()):
        lines.append(f"{name}: {reader} reads {ev}, which python3-icalendar does not")
    return lines


def main(argv):
    zones = ["America/Los_Angeles", "Asia/Tokyo"]
    if argv[:1] == ["--zones"]:
        zones = argv[1].split(",")
        argv = argv[2:]
    if not shutil.which("khal") or not shutil.which("calcurse"):
        print("SKIP: khal or calcurse not installed")
        return 77
    failures = []
    for path in argv:
        name = os.path.basename(path)
        for zone in zones:
            want = expected(path, zone)
            with tempfile.TemporaryDirectory() as tmp:
                got, notes = khal_reads(path, zone, tmp)
                # khal says so when it had to guess an end; anything else it prints is a problem.
                failures += [f"{name} ({zone}): khal: {n}" for n in notes]
                if got is not None:
                    failures += compare(f"{name} ({zone})", "khal", want, got)
            with tempfile.TemporaryDirectory() as tmp:
                got, notes = calcurse_reads(path, zone, tmp)
                failures += [f"{name} ({zone}): {n}" for n in notes]
                failures += compare(f"{name} ({zone})", "calcurse", want, got)
            print(f"{name} ({zone}): {sum(want.values())} events")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
