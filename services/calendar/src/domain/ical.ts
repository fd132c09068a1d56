/**
 * ical.js (Mozilla's iCalendar parser and recurrence engine) as this CommonJS service loads it:
 * its CommonJS build at run time, typed by the declarations it ships for its ES module.
 */
import type ICALModule from 'ical.js' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ICAL = require('ical.js') as typeof ICALModule;

export default ICAL;
export type Time = InstanceType<typeof ICALModule.Time>;
export type Component = InstanceType<typeof ICALModule.Component>;
export type Event = InstanceType<typeof ICALModule.Event>;
export type Timezone = InstanceType<typeof ICALModule.Timezone>;
export type RecurExpansion = InstanceType<typeof ICALModule.RecurExpansion>;
