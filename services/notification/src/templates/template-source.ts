/** The shape of one message template: Handlebars sources for the subject, the HTML body and the text body. */
import type { NotificationTemplate } from '@midas/contracts';

export interface TemplateSource {
  name: NotificationTemplate;
  /** Plain text, one line. */
  subject: string;
  /** The line mail clients show after the subject; hidden in the HTML body. */
  preheader: string;
  /** The HTML body placed inside the layout; values are HTML-escaped. */
  html: string;
  /** The plain-text alternative, placed inside the text layout. */
  text: string;
}
