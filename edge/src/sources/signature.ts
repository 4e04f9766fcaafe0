import { equalsConstantTime, toBase64, toHex, utf8 } from '../auth/digest';

type Hash = 'SHA-1' | 'SHA-256';

async function hmac(hash: Hash, secret: string, message: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, message));
}

/**
 * Compares the presented signature with the expected one as text, in constant time. Comparing
 * the canonical encoding (not decoded bytes) also rejects a header whose unused base64 padding
 * bits were changed.
 */
export async function hmacBase64Matches(
  hash: Hash,
  secret: string,
  message: Uint8Array<ArrayBuffer>,
  presented: string,
) {
  return equalsConstantTime(toBase64(await hmac(hash, secret, message)), presented.trim());
}

export async function hmacHexMatches(hash: Hash, secret: string, message: Uint8Array<ArrayBuffer>, presented: string) {
  return equalsConstantTime(toHex(await hmac(hash, secret, message)), presented.trim().toLowerCase());
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
