import { describe, expect, it } from 'vitest';
import { SecretBox } from '../src/auth/secret-box';

describe('SecretBox', () => {
  it('round-trips a secret without the plaintext in the sealed form', async () => {
    const box = await SecretBox.fromBase64Key(SecretBox.generateKey());
    const sealed = await box.seal('whsec_very_secret', 'integration:ten_1:callrail');
    expect(sealed).not.toContain('very_secret');
    expect(await box.open(sealed, 'integration:ten_1:callrail')).toBe('whsec_very_secret');
    // Same plaintext, fresh IV: sealed twice, two different texts.
    expect(await box.seal('whsec_very_secret', 'x')).not.toBe(await box.seal('whsec_very_secret', 'x'));
  });

  it("will not open another tenant's ciphertext or open under another key", async () => {
    const box = await SecretBox.fromBase64Key(SecretBox.generateKey());
    const sealed = await box.seal('token', 'integration:ten_1:callrail');
    await expect(box.open(sealed, 'integration:ten_2:callrail')).rejects.toThrow();
    const other = await SecretBox.fromBase64Key(SecretBox.generateKey());
    await expect(other.open(sealed, 'integration:ten_1:callrail')).rejects.toThrow();
  });

  it('refuses a key that is not 32 bytes of base64', async () => {
    await expect(SecretBox.fromBase64Key('too-short')).rejects.toThrow(/32 bytes/);
  });
});
