/**
 * SMTP_URL as an ordered list of mail transports: `smtp://primary:25,smtp://backup:2525`, primary
 * first. Labels name host and port only, so logs and the communications record never carry
 * credentials.
 */

export interface SmtpEndpoint {
  url: string;
  /** `host:port`, safe to log. */
  label: string;
}

export class SmtpUrlError extends Error {
  constructor(readonly problems: string[]) {
    super(`SMTP_URL: ${problems.join('; ')}`);
    this.name = 'SmtpUrlError';
  }
}

const DEFAULT_PORT: Record<string, number> = { 'smtp:': 587, 'smtps:': 465 };

/** No value (or only blanks) means no transport: messages are logged instead of sent. */
export function parseSmtpUrls(value: string | undefined): SmtpEndpoint[] {
  const parts = (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const endpoints: SmtpEndpoint[] = [];
  const problems: string[] = [];
  parts.forEach((part, index) => {
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      problems.push(`entry ${index + 1} is not a URL`);
      return;
    }
    if (!(url.protocol in DEFAULT_PORT)) {
      problems.push(`entry ${index + 1} must start with smtp:// or smtps://`);
      return;
    }
    if (!url.hostname) {
      problems.push(`entry ${index + 1} names no host`);
      return;
    }
    const port = url.port || String(DEFAULT_PORT[url.protocol]);
    endpoints.push({ url: part, label: `${url.hostname}:${port}` });
  });
  if (problems.length) throw new SmtpUrlError(problems);
  return endpoints;
}
