#!/usr/bin/python3
"""Helpers of bench/run.sh (stdlib only). Every measurement is appended to RESULTS (JSON lines).

  wrk RESULTS KEY WRK_OUTPUT          parse wrk --latency output: req/s, p50, p99, failures
  reload RESULTS KEY URL PAGE [N]     edit PAGE N times (default 5); time until URL's ETag changes
  sizes RESULTS BASE_URL IDS_FILE     total bytes of every feed served, plain and gzip
  micro RESULTS BENCH_JSON            Google Benchmark JSON -> items/s
  set RESULTS KEY VALUE               one figure measured by run.sh itself
  report RESULTS                      the Markdown table
"""

import http.client
import json
import re
import statistics
import sys
import time
import urllib.parse


def put(results, key, value):
    with open(results, "a", encoding="utf-8") as f:
        f.write(json.dumps({"key": key, "value": value}) + "\n")


def to_ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[m.group(2)]
    return float(m.group(1)) * scale


def cmd_wrk(results, key, path):
    text = open(path, encoding="utf-8").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
    fails = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        fails += sum(int(g) for g in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        fails += int(m.group(1))
    put(results, key, {"rps": rps, "p50": p50, "p99": p99, "failures": fails})


def etag(conn, path):
    conn.request("HEAD", path)
    r = conn.getresponse()
    r.read()
    return r.getheader("ETag")


def cmd_reload(results, key, url, page, n=5):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
    times = []
    with open(page, encoding="utf-8") as f:
        original = f.read()
    try:
        for i in range(int(n)):
            before = etag(conn, u.path)
            # A real edit: the first class's title changes, so the feed's bytes must change.
            text = original.replace("(lecture ", f"(edit {i}, lecture ", 1)
            t0 = time.perf_counter()
            with open(page, "w", encoding="utf-8") as f:
                f.write(text)
            elapsed = None
            while time.perf_counter() - t0 < 10.0:
                if etag(conn, u.path) != before:
                    elapsed = time.perf_counter() - t0
                    break
                time.sleep(0.005)
            times.append(elapsed if elapsed is not None else float("inf"))
            time.sleep(0.5)
    finally:
        with open(page, "w", encoding="utf-8") as f:
            f.write(original)
    put(results, key, {"median_ms": statistics.median(times) * 1000.0,
                       "all_ms": [round(t * 1000.0, 1) for t in times]})


def cmd_sizes(results, base, ids_file):
    u = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    plain = gz = 0
    for cid in open(ids_file, encoding="utf-8").read().split():
        for enc in ("identity", "gzip"):
            conn.request("GET", f"/{cid}.ics", headers={"Accept-Encoding": enc})
            r = conn.getresponse()
            body = r.read()
            if enc == "gzip":
                gz += len(body)
            else:
                plain += len(body)
    put(results, "feed_bytes", {"plain": plain, "gzip": gz})


def cmd_micro(results, path):
    for b in json.load(open(path, encoding="utf-8"))["benchmarks"]:
        put(results, "micro:" + b["name"], {"items_per_second": b.get("items_per_second", 0),
                                            "ns": b["real_time"]})


def load(results):
    out = {}
    for line in open(results, encoding="utf-8"):
        d = json.loads(line)
        out.setdefault(d["key"], []).append(d["value"])
    return out


def fmt(x, unit=""):
    if x >= 100:
        return f"{x:,.0f}{unit}"
    if x >= 10:
        return f"{x:.1f}{unit}"
    return f"{x:.2f}{unit}"


def cmd_report(results):
    r = load(results)
    meta = r["meta"][0]
    rows = []

    def row(what, cc, base, ratio, target, ok):
        rows.append(f"| {what} | {cc} | {base} | {ratio} | {target} | {'met' if ok else '**MISSED**'} |")

    for label, key in (("full GET", "get"), ("conditional GET (304)", "cond"),
                       ("gzip GET", "gzip")):
        c, n = r["cc:" + key], r["nginx:" + key]
        c_rps, n_rps = statistics.mean(x["rps"] for x in c), statistics.mean(x["rps"] for x in n)
        c99, n99 = max(x["p99"] for x in c), max(x["p99"] for x in n)
        c50, n50 = statistics.mean(x["p50"] for x in c), statistics.mean(x["p50"] for x in n)
        fails = sum(x["failures"] for x in c) + sum(x["failures"] for x in n)
        row(f"{label}: req/s", fmt(c_rps), fmt(n_rps), f"{c_rps / n_rps:.2f}x", ">= 0.8x",
            c_rps / n_rps >= 0.8)
        row(f"{label}: p50 / p99 latency", f"{fmt(c50, ' ms')} / {fmt(c99, ' ms')}",
            f"{fmt(n50, ' ms')} / {fmt(n99, ' ms')}", f"p99 {c99 / n99:.2f}x", "p99 <= 1.5x",
            c99 / n99 <= 1.5)
        if fails:
            row(f"{label}: failed requests", str(sum(x['failures'] for x in c)),
                str(sum(x['failures'] for x in n)), "", "0", False)

    ex, py = r["gen:coursecal"][0], r["gen:python"][0]
    row(f"generation, {meta['feeds']} feeds / {py['events']} events: time",
        f"{fmt(ex['wall_s'] * 1000, ' ms')} (whole `export`)",
        f"{fmt(py['seconds'] * 1000, ' ms')} (build + to_ical only); process {fmt(py['wall_s'] * 1000, ' ms')}",
        f"{py['seconds'] / ex['wall_s']:.1f}x faster", ">= 20x faster",
        py["seconds"] / ex["wall_s"] >= 20)
    row("generation: peak RSS", fmt(ex["rss_kb"] / 1024, " MiB"), fmt(py["rss_kb"] / 1024, " MiB"),
        f"{ex['rss_kb'] / py['rss_kb']:.2f}x", "<= 0.2x", ex["rss_kb"] / py["rss_kb"] <= 0.2)

    st, sz = r["startup"][0], r["feed_bytes"][0]
    total = sz["plain"] + sz["gzip"]
    row(f"start-up: until /healthz reports {meta['feeds']} feeds", fmt(st["seconds"] * 1000, " ms"),
        "", "", "< 2 s", st["seconds"] < 2.0)
    row("daemon RSS vs rendered feeds (plain + gzip)", fmt(st["rss_kb"] / 1024, " MiB"),
        f"{fmt(total / 1048576, ' MiB')} ({fmt(sz['plain'] / 1048576)} + {fmt(sz['gzip'] / 1048576)})",
        f"{st['rss_kb'] * 1024 / total:.2f}x", "< 3x", st["rss_kb"] * 1024 / total < 3)

    for label, key in (("idle", "reload:idle"), ("under wrk load", "reload:load")):
        x = r[key][0]
        row(f"reload ({label}): edit -> new ETag, median of 5", fmt(x["median_ms"], " ms"),
            "runs: " + ", ".join(f"{t:g}" for t in x["all_ms"]) + " ms", "", "< 200 ms",
            x["median_ms"] < 200)
    lf = r["reload:wrk"][0]
    row("reload under load: failed requests (wrk)", str(lf["failures"]),
        f"{fmt(lf['rps'])} req/s during reloads", "", "0", lf["failures"] == 0)

    print(f"Machine: {meta['nproc']} CPUs, {meta['cpu']}; N = {meta['feeds']} courses; wrk "
          f"-t{meta['threads']} -c{meta['conns']} -d{meta['duration']}s on 127.0.0.1, runs alternated "
          f"coursecal/nginx x{meta['rounds']}; nginx {meta['nginx']} (1 worker, sendfile, gzip_static).\n")
    print("| measure | coursecal | baseline (nginx / python3-icalendar) | ratio | target | |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    micro = [(k[6:], v[0]) for k, v in r.items() if k.startswith("micro:")]
    if micro:
        print("\nMicro-benchmarks (Google Benchmark, `coursecal_microbench`):\n")
        print("| benchmark | time per iteration | events/s |")
        print("|---|---|---|")
        for name, v in micro:
            print(f"| {name} | {fmt(v['ns'] / 1000, ' us')} | {fmt(v['items_per_second'])} |")


def main():
    cmd, results, *rest = sys.argv[1:]
    if cmd == "set":
        put(results, rest[0], json.loads(rest[1]))
    else:
        {"wrk": cmd_wrk, "reload": cmd_reload, "sizes": cmd_sizes, "micro": cmd_micro,
         "report": cmd_report}[cmd](results, *rest)


if __name__ == "__main__":
    main()
