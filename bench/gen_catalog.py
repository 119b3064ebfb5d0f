#!/usr/bin/python3
"""Generates a synthetic course catalog for the coursecal benchmarks (stdlib only).

OUT/sites/cNNNN/            N Just the Class sites: _config.yml and _modules/week-01..10.md, each
                            week with Class 1..3 (one lecture item, two links, three readings)
OUT/coursecal.yaml          one config holding all N feeds (spring 2025, America/Los_Angeles)
OUT/events.json             the events of every feed, for the Python baseline; made here, outside
                            any timed region, by running `coursecal export` once and reading the
                            .ics files back (only when --coursecal is given)

usage: gen_catalog.py OUT [-n N] [--coursecal BIN]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

WEEKS = 10
CLASSES = 3
# Three meetings a week so every week page's Class 1..3 has a slot; times vary per course.
DAY_SETS = [["Mon", "Wed", "Fri"], ["Mon", "Tue", "Thu"], ["Tue", "Wed", "Fri"]]
ROOMS = ["CENTR 214", "WLH 2001", "PCYNH 106", "MOS 0113", "CSB 002", "LEDDN AUD"]
TOPICS = ["Foundations", "Storage", "Indexing", "Query processing", "Transactions",
          "Replication", "Partitioning", "Stream processing", "Scheduling", "Caching"]


def site_config(cid, n):
    return (f"# Site settings for course {cid} (Just the Class theme).\n"
            f"title: C{n:04d}\n"
            f"description: Synthetic Course {n}\n"
            f'url: "https://courses.example.edu"\n'
            f'baseurl: "/{cid}-sp25"\n'
            f"timezone: America/Los_Angeles\n"
            f"theme: just-the-docs\n"
            f"collections:\n  modules:\n    output: true\n")


def week_page(cid, week):
    lines = ["---", f"title: Week {week}", f"class: {cid.upper()}", "status: Active", "---", ""]
    for c in range(1, CLASSES + 1):
        lec = (week - 1) * CLASSES + c
        topic = TOPICS[(week + c) % len(TOPICS)]
        lines += [
            f"Class {c}",
            f": {{: .label}} {topic}, part {c} (lecture {lec})",
            f"  : [Slides](slides/l{lec:02d}.pdf) &#8226; "
            f"[Recording](https://video.example.edu/{cid}/{lec:02d})",
            ": *Reading:*",
        ]
        for r in range(1, 4):
            lines.append(f"* [{topic} reading {r} for lecture {lec}]"
                         f"(https://papers.example.org/{cid}/l{lec:02d}-r{r}.pdf)")
        lines.append("")
    return "\n".join(lines)


def feed_yaml(cid, n):
    days = DAY_SETS[n % len(DAY_SETS)]
    hour = 8 + n % 9  # 08:00 .. 16:00
    minute = 0 if n % 2 == 0 else 30
    end_h, end_m = divmod(hour * 60 + minute + 50, 60)
    return (f"  - id: {cid}\n"
            f"    site: sites/{cid}\n"
            f'    name: "C{n:04d}: Synthetic Course {n}"\n'
            f"    short_name: C{n:04d}\n"
            f"    timezone: America/Los_Angeles\n"
            f"    term: {{ start: 2025-03-31, end: 2025-06-06, week1: 2025-03-31 }}\n"
            f"    meetings:\n"
            f"      - kind: lecture\n"
            f"        days: [{', '.join(days)}]\n"
            f'        start: "{hour:02d}:{minute:02d}"\n'
            f'        end: "{end_h:02d}:{end_m:02d}"\n'
            f"        location: {ROOMS[n % len(ROOMS)]}\n")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# --- reading .ics back (RFC 5545 unfolding and TEXT unescaping; enough for coursecal's output) --

def unfold(text):
    out = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith((" ", "\t")) and out:
            out[-1] += line[1:]
        elif line:
            out.append(line)
    return out


def unescape(value):
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def iso(params, value):
    """DTSTART/DTEND -> ISO 8601 with the zone name (or a date for all-day)."""
    if "VALUE=DATE" in params:
        return {"date": f"{value[0:4]}-{value[4:6]}-{value[6:8]}"}
    tzid = next((p[5:] for p in params if p.startswith("TZID=")), "UTC" if value.endswith("Z")
                else "")
    v = value.rstrip("Z")
    return {"datetime": f"{v[0:4]}-{v[4:6]}-{v[6:8]}T{v[9:11]}:{v[11:13]}:{v[13:15]}",
            "tz": tzid}


def read_ics(path):
    with open(path, encoding="utf-8") as f:
        lines = unfold(f.read())
    events, cur = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            cur = {}
        elif line == "END:VEVENT":
            events.append(cur)
            cur = None
        elif cur is not None:
            head, _, value = line.partition(":")
            name, *params = head.split(";")
            if name == "UID":
                cur["uid"] = value
            elif name == "SUMMARY":
                cur["summary"] = unescape(value)
            elif name in ("DTSTART", "DTEND"):
                cur[name.lower()[2:]] = iso(params, value)
            elif name == "LOCATION":
                cur["location"] = unescape(value)
            elif name == "DESCRIPTION":
                cur["description"] = unescape(value)
    return events


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("-n", type=int, default=1000, help="number of courses (default 1000)")
    ap.add_argument("--coursecal", help="coursecal binary: also write events.json")
    args = ap.parse_args()

    feeds = []
    for n in range(1, args.n + 1):
        cid = f"c{n:04d}"
        root = os.path.join(args.out, "sites", cid)
        write(os.path.join(root, "_config.yml"), site_config(cid, n))
        for w in range(1, WEEKS + 1):
            write(os.path.join(root, "_modules", f"week-{w:02d}.md"), week_page(cid, w))
        feeds.append(feed_yaml(cid, n))
    write(os.path.join(args.out, "coursecal.yaml"),
          "# Synthetic catalog for bench/run.sh (bench/gen_catalog.py).\n"
          "server:\n  listen: 127.0.0.1:8080\n  refresh: PT6H\n\nfeeds:\n" + "".join(feeds))

    if args.coursecal:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([args.coursecal, "export", "-c", os.path.join(args.out, "coursecal.yaml"),
                            "-o", tmp + "/"], check=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
            catalog = []
            for n in range(1, args.n + 1):
                cid = f"c{n:04d}"
                catalog.append({"id": cid, "name": f"C{n:04d}: Synthetic Course {n}",
                                "timezone": "America/Los_Angeles",
                                "events": read_ics(os.path.join(tmp, cid + ".ics"))})
        with open(os.path.join(args.out, "events.json"), "w", encoding="utf-8") as f:
            json.dump({"feeds": catalog}, f)
        total = sum(len(c["events"]) for c in catalog)
        print(f"gen_catalog: {args.n} courses, {total} events -> {args.out}", file=sys.stderr)
    else:
        print(f"gen_catalog: {args.n} courses -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
