/**
 * Renders a template with a message view into subject, HTML and text. Templates are compiled
 * once, in strict mode so a misspelt field fails loudly in tests instead of leaving a gap in a
 * guest's email; HTML values are escaped, text values are not.
 */
import Handlebars from 'handlebars';
import type { NotificationTemplate } from '@midas/contracts';
import { htmlLayout, itineraryHtml, itineraryText, templateSources, textLayout } from '../templates';
import type { MessageView } from './message-view';

export interface RenderedMessage {
  template: NotificationTemplate;
  subject: string;
  html: string;
  text: string;
}

/** Width of the label column in the text itinerary. */
const TEXT_LABEL_WIDTH = 16;

type Compiled = (context: unknown) => string;
interface CompiledTemplate {
  subject: Compiled;
  preheader: Compiled;
  html: Compiled;
  text: Compiled;
}

const hbs = Handlebars.create();
hbs.registerPartial('itinerary', itineraryHtml);
hbs.registerPartial('itineraryText', itineraryText);
hbs.registerHelper('pad', (label: unknown) =>
  ' '.repeat(Math.max(1, TEXT_LABEL_WIDTH - String(label).length - 1)),
);

const asHtml = (source: string): Compiled => hbs.compile(source, { strict: true });
const asText = (source: string): Compiled => hbs.compile(source, { strict: true, noEscape: true });

const layouts = { html: asHtml(htmlLayout), text: asText(textLayout) };
const compiled = new Map<NotificationTemplate, CompiledTemplate>();

function compiledTemplate(name: NotificationTemplate): CompiledTemplate {
  let found = compiled.get(name);
  if (!found) {
    const source = templateSources[name];
    found = {
      subject: asText(source.subject),
      preheader: asText(source.preheader),
      html: asHtml(source.html),
      text: asText(source.text),
    };
    compiled.set(name, found);
  }
  return found;
}

/** Subjects are one line: newlines from data would otherwise break the header. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** Blank lines left by conditional blocks are collapsed so the text part reads cleanly. */
function tidyText(value: string): string {
  return `${value
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

export function renderMessage(name: NotificationTemplate, view: MessageView): RenderedMessage {
  const template = compiledTemplate(name);
  const subject = oneLine(template.subject(view));
  const frame = { subject, preheader: oneLine(template.preheader(view)), bookingRef: view.bookingRef };
  return {
    template: name,
    subject,
    html: layouts.html({ ...frame, body: template.html(view) }),
    text: tidyText(layouts.text({ ...frame, body: template.text(view) })),
  };
}
