/**
 * Signing secrets at rest: HMAC needs the secret itself, so it is stored encrypted
 * (AES-256-GCM, key derived from WEBHOOK_SECRET_KEY), never hashed, and decrypted per delivery.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const FORMAT = 'v1';
const IV_BYTES = 12;

/** Used outside production only, so development and tests need no key; production refuses to start without one. */
export const DEV_WEBHOOK_SECRET_KEY = 'midas-development-webhook-key-do-not-use-in-production';

export class SecretBox {
  private readonly key: Buffer;

  constructor(passphrase: string) {
    this.key = Buffer.from(hkdfSync('sha256', passphrase, 'midas', 'webhook-signing-secrets', 32));
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, each base64url. */
  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, iv, cipher.getAuthTag(), sealed]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** Throws when the value was sealed under another key or altered. */
  open(sealed: string): string {
    const [format, iv, tag, data] = sealed.split('.');
    if (format !== FORMAT || !iv || !tag || data === undefined)
      throw new Error('not a sealed webhook secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
