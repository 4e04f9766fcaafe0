// How each source signs what it sends: used by `npm run demo`, the tests and the benchmarks to
// produce deliveries exactly as CallRail, Retell and Ringostat would.
import { toBase64, toHex, utf8 } from '../auth/digest';

async function hmac(hash: 'SHA-1' | 'SHA-256', secret: string, message: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(message)));
}

/** CallRail: `Signature: base64(HMAC-SHA1(token, body))`. */
export async function callrailHeaders(token: string, body: string): Promise<Record<string, string>> {
  return { 'content-type': 'application/json', signature: toBase64(await hmac('SHA-1', token, body)) };
}

/** Retell: `x-retell-signature: v=<ms>,d=hex(HMAC-SHA256(key, body + ms))`. */
export async function retellHeaders(apiKey: string, body: string, nowMs: number): Promise<Record<string, string>> {
  const v = String(nowMs);
  return {
    'content-type': 'application/json',
    'x-retell-signature': `v=${v},d=${toHex(await hmac('SHA-256', apiKey, body + v))}`,
  };
}

/** Ringostat: HTTP Basic with the webhook's login and password. */
export function ringostatHeaders(username: string, password: string, contentType?: string): Record<string, string> {
  return {
    authorization: `Basic ${toBase64(utf8(`${username}:${password}`))}`,
    ...(contentType ? { 'content-type': contentType } : {}),
  };
}
