// ical.js (the parser inside Thunderbird): prints {"count": N, "starts": {UID: start}} for FILE.
// Timed starts are UTC instants computed through the feed's own VTIMEZONEs; all-day starts are
// dates. Run with TZ=UTC so an unresolved zone shows up as a wrong instant, never a lucky one.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const file = process.argv[2];
const root = new ICAL.Component(ICAL.parse(readFileSync(file, 'utf8')));
for (const vtz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);

const starts = {};
const problems = [];
const vevents = root.getAllSubcomponents('vevent');
for (const vevent of vevents) {
  const event = new ICAL.Event(vevent);
  const start = event.startDate;
  if (!vevent.hasProperty('dtend')) problems.push(`${event.uid}: no DTEND`);
  if (start.isDate) {
    starts[event.uid] = start.toString();
    continue;
  }
  const tzid = vevent.getFirstProperty('dtstart').getParameter('tzid');
  if (tzid && !ICAL.TimezoneService.has(tzid)) problems.push(`${event.uid}: unknown zone ${tzid}`);
  if (!tzid && start.zone !== ICAL.Timezone.utcTimezone) {
    problems.push(`${event.uid}: floating time`);
  }
  const utc = start.convertToZone(ICAL.Timezone.utcTimezone);
  // Both ways of getting the instant must agree.
  const viaJs = start.toJSDate().toISOString().replace('.000Z', 'Z');
  const viaIcal = utc.toString();
  if (viaJs !== viaIcal) {
    problems.push(`${event.uid}: toJSDate ${viaJs} != convertToZone ${viaIcal}`);
  }
  starts[event.uid] = viaIcal;
}
if (problems.length) {
  for (const p of problems) console.error(`ical.js: ${p}`);
  process.exit(1);
}
console.log(JSON.stringify({ count: vevents.length, starts }, null, 1));
