// Expands an iCalendar course series with Mozilla's ical.js, using the VTIMEZONE in the file.
// Prints JSON: METHOD, each VEVENT's UID, SEQUENCE, LOCATION, URL, CONFERENCE and whether it is an override, and the UTC
// instants of every occurrence after RECURRENCE-ID overrides and EXDATEs.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const calendar = new ICAL.Component(ICAL.parse(readFileSync(process.argv[2], "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
const events = calendar.getAllSubcomponents("vevent");
const master = new ICAL.Event(events.find(e => e.hasProperty("rrule")));
for (const exception of events.filter(e => e.hasProperty("recurrence-id"))) master.relateException(exception);

const occurrences = [];
const iterator = master.iterator();
for (let next = iterator.next(), guard = 0; next && guard < 1000; next = iterator.next(), guard++) {
  const details = master.getOccurrenceDetails(next);
  occurrences.push(details.startDate.toJSDate().toISOString().replace(".000Z", "Z"));
}
console.log(JSON.stringify({
  method: calendar.getFirstPropertyValue("method"),
  events: events.map(e => ({
    uid: e.getFirstPropertyValue("uid"), sequence: e.getFirstPropertyValue("sequence") ?? 0, recurrenceId: e.hasProperty("recurrence-id"),
    location: e.getFirstPropertyValue("location") ?? null, url: e.getFirstPropertyValue("url") ?? null,
    conference: e.getFirstPropertyValue("conference") ?? null,
  })),
  viaVtimezone: occurrences.sort(),
  viaTzdb: null,   // ical.js has no tz database of its own here: it expands with the VTIMEZONE only
}));
