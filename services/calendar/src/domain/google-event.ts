/** The Google Calendar event a booking or blackout is written as. */
import { type CalendarEntry } from './entry';
import { googleEventId } from './event-ids';
import { toGoogleTime } from './local-time';

export interface GoogleEventBody {
  id: string;
  summary: string;
  description: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  status: 'confirmed';
  transparency: 'opaque';
  extendedProperties: { private: { midasKind: string; midasRef: string } };
}

export function googleEventBody(entry: CalendarEntry): GoogleEventBody {
  return {
    id: googleEventId(entry.kind, entry.ref),
    summary: entry.summary,
    description:
      entry.kind === 'booking'
        ? 'Booked through Midas. Change it in Midas; edits here are overwritten.'
        : 'Blocked in Midas. Change it in Midas; edits here are overwritten.',
    start: toGoogleTime(entry.start, entry.timezone),
    end: toGoogleTime(entry.end, entry.timezone),
    status: 'confirmed',
    transparency: 'opaque',
    extendedProperties: { private: { midasKind: entry.kind, midasRef: entry.ref } },
  };
}
