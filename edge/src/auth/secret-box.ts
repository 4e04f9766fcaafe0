import { fromBase64, randomBytes, toBase64, utf8 } from './digest';

/**
 * Seals integration secrets (webhook signing tokens, CRM tokens) with AES-GCM under the key in
 * CALLSIGHT_ENCRYPTION_KEY. The tenant and the integration kind are bound as additional data,
 * so a ciphertext copied to another tenant's row does not open.
 */
export class SecretBox {
  private constructor(private readonly key: Awaited<ReturnType<typeof crypto.subtle.importKey>>) {}

  static async fromBase64Key(encoded: string): Promise<SecretBox> {
    const raw = fromBase64(encoded.trim());
    if (!raw || raw.length !== 32) {
      throw new Error('CALLSIGHT_ENCRYPTION_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)');
    }
    const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    return new SecretBox(key);
  }

  static generateKey(): string {
    return toBase64(randomBytes(32));
  }

  async seal(plaintext: string, context: string): Promise<string> {
    const iv = randomBytes(12);
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: utf8(context) },
      this.key,
      utf8(plaintext),
    );
    const out = new Uint8Array(iv.length + sealed.byteLength);
    out.set(iv);
    out.set(new Uint8Array(sealed), iv.length);
    return `v1.${toBase64(out)}`;
  }

  async open(sealed: string, context: string): Promise<string> {
    const bytes = sealed.startsWith('v1.') ? fromBase64(sealed.slice(3)) : null;
    if (!bytes || bytes.length < 13) throw new Error('sealed secret is malformed');
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.subarray(0, 12), additionalData: utf8(context) },
      this.key,
      bytes.subarray(12),
    );
    return new TextDecoder().decode(plain);
  }
}
