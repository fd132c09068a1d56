/**
 * The frame every message shares: a table layout with inline styles (what mail clients
 * render reliably), the preheader, the brand header and the footer; and the shared itinerary.
 */

const font = "font-family:Georgia,'Times New Roman',serif;";
const sans = "font-family:'Helvetica Neue',Helvetica,Arial,sans-serif;";

export const htmlLayout = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>{{subject}}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f1ea;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">{{preheader}}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f1ea;">
  <tr>
    <td align="center" style="padding:32px 12px;">
      <table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border-radius:4px;overflow:hidden;">
        <tr>
          <td style="background-color:#111111;padding:28px 40px;text-align:center;">
            <span style="${font}font-size:22px;letter-spacing:8px;color:#c9a96e;">MIDAS</span>
          </td>
        </tr>
        <tr>
          <td style="padding:40px 40px 16px 40px;${sans}font-size:15px;line-height:24px;color:#2b2b2b;">
{{{body}}}
          </td>
        </tr>
        <tr>
          <td style="padding:0 40px 40px 40px;${sans}font-size:15px;line-height:24px;color:#2b2b2b;">
            <p style="margin:24px 0 0 0;">With our compliments,<br>The Midas concierge team</p>
          </td>
        </tr>
        <tr>
          <td style="background-color:#faf8f4;border-top:1px solid #ece6da;padding:20px 40px;${sans}font-size:12px;line-height:18px;color:#8a8170;text-align:center;">
            Booking reference <strong style="color:#5c5446;">{{bookingRef}}</strong><br>
            Reply to this email or call your concierge at any hour; quote your reference so we can help at once.
          </td>
        </tr>
      </table>
    </td>
  </tr>
</table>
</body>
</html>
`;

export const textLayout = `MIDAS
=====

{{{body}}}

With our compliments,
The Midas concierge team

Booking reference: {{bookingRef}}
Reply to this email or call your concierge at any hour; quote your reference so we can help at once.
`;

export const headingStyle = `margin:0 0 16px 0;${font}font-size:26px;line-height:32px;font-weight:normal;color:#111111;`;
export const paragraphStyle = 'margin:0 0 16px 0;';
/** A tinted panel for the one figure that matters in a message (a refund, a new total). */
export const calloutStyle = `margin:8px 0 24px 0;padding:16px 20px;background-color:#faf6ee;border-left:3px solid #c9a96e;${sans}font-size:15px;line-height:22px;color:#2b2b2b;`;

const row = (label: string, value: string) => `    <tr>
      <td style="padding:10px 0;border-bottom:1px solid #ece6da;color:#8a8170;font-size:13px;text-transform:uppercase;letter-spacing:1px;width:38%;vertical-align:top;">${label}</td>
      <td style="padding:10px 0;border-bottom:1px solid #ece6da;color:#111111;vertical-align:top;">${value}</td>
    </tr>`;

/** Item, place, times in the item's zone, duration and total: what the guest needs on the day. */
export const itineraryHtml = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px 0;${sans}font-size:15px;line-height:22px;">
${row('Your booking', '<strong>{{itemName}}</strong>')}
${row('Location', '{{location}}')}
${row('{{labels.start}}', '{{period.start}}')}
${row('{{labels.end}}', '{{period.end}}')}
${row('Duration', '{{period.duration}}')}
${row('Total', '{{total}}')}
</table>
<p style="margin:0 0 16px 0;font-size:12px;line-height:18px;color:#8a8170;">Times are local to {{location}} ({{period.timezone}}).</p>`;

export const itineraryText = `{{itemName}}
  Location:       {{location}}
  {{labels.start}}:{{pad labels.start}}{{period.start}}
  {{labels.end}}:{{pad labels.end}}{{period.end}}
  Duration:       {{period.duration}}
  Total:          {{total}}
  (times are local to {{location}}, {{period.timezone}})
`;
