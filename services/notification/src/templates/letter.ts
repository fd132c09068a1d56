/**
 * The body most messages share: a heading, a greeting, what happened, the itinerary, the one
 * thing the reader should know or do, and a closing line. Each message is written once, in HTML;
 * its plain-text part is derived from it, so the two cannot drift apart.
 */
import type { NotificationTemplate } from '@midas/contracts';
import { calloutStyle, headingStyle, paragraphStyle } from './layout';
import type { TemplateSource } from './template-source';

export interface Letter {
  name: NotificationTemplate;
  subject: string;
  preheader: string;
  heading: string;
  /** The heading of the text part, when it is not the HTML heading in capitals (always so with fields in it). */
  textHeading?: string;
  /** Whom the greeting names: the guest, or the member of staff it is sent to. */
  to: 'guest' | 'staff';
  /** What happened; give `text` too when the text part words it other than by dropping the bold. */
  lead: string | { html: string; text: string };
  /** Whether the booking's itinerary follows the lead. */
  itinerary?: boolean;
  callout: string;
  /** A view field the callout needs: without it the callout is left out. */
  calloutIf?: string;
  closing?: string;
}

const greetings = { guest: 'Dear {{greetingName}},', staff: 'Dear {{staffName}},' };

/** Bold marks the key values in HTML; plain text has no bold, so the words stand alone. */
const plain = (html: string): string => html.replace(/<\/?strong>/g, '');

function only(field: string | undefined, block: string): string {
  return field ? `{{#if ${field}}}\n${block}\n{{/if}}` : block;
}

export function letter(l: Letter): TemplateSource {
  const lead = typeof l.lead === 'string' ? { html: l.lead, text: plain(l.lead) } : l.lead;
  const html = [
    `<h1 style="${headingStyle}">${l.heading}</h1>`,
    `<p style="${paragraphStyle}">${greetings[l.to]}</p>`,
    `<p style="${paragraphStyle}">${lead.html}</p>`,
    l.itinerary ? '{{> itinerary}}' : '',
    only(l.calloutIf, `<div style="${calloutStyle}">${l.callout}</div>`),
    l.closing === undefined ? '' : `<p style="${paragraphStyle}">${l.closing}</p>`,
  ];
  const text = [
    l.textHeading ?? l.heading.toUpperCase(),
    greetings[l.to],
    lead.text,
    l.itinerary ? '{{> itineraryText}}' : '',
    only(l.calloutIf, plain(l.callout)),
    l.closing === undefined ? '' : plain(l.closing),
  ];
  return {
    name: l.name,
    subject: l.subject,
    preheader: l.preheader,
    html: html.filter(Boolean).join('\n'),
    text: text.filter(Boolean).join('\n\n'),
  };
}
