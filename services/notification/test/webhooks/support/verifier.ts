/**
 * A webhook signature verifier written from the Standard Webhooks specification alone (it shares
 * no code with the service): the signed content is `${webhook-id}.${webhook-timestamp}.${body}`,
 * the key the base64 part of the `whsec_` secret, the header a space-separated list of
 * `v1,<base64 HMAC-SHA256>`; one matching signature suffices, and a timestamp more than five
 * minutes away from now is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const TOLERANCE_SECONDS = 5 * 60;

export function verifyWebhook(
  secret: string,
  msg: { id: string; timestamp: string; signature: string; body: string },
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const ts = Number(msg.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > TOLERANCE_SECONDS) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${msg.id}.${msg.timestamp}.${msg.body}`).digest();
  return msg.signature.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
