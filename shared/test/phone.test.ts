import { describe, expect, it } from 'vitest';
import { maskPhone, normalisePhone, phoneSpellings } from '../src/phone';

describe('normalisePhone', () => {
  it.each([
    ['(303) 623-1131', 'US', '+13036231131'],
    ['13036231131', 'US', '+13036231131'],
    ['+1 303 623 1131', 'UA', '+13036231131'],
    ['0501234567', 'UA', '+380501234567'],
    ['380501234567', 'UA', '+380501234567'],
    ['380501234567', 'US', '+380501234567'],
    ['00380501234567', 'US', '+380501234567'],
    ['214-865-4559', 'US', '+12148654559'],
  ])('%s with default %s → %s', (raw, country, e164) => {
    expect(normalisePhone(raw, country)).toMatchObject({ e164, raw, valid: true });
  });

  it.each(['5551234', 'Anonymous', '', '+1 555', '12345678901234567890'])('keeps %j flagged, not dropped', (raw) => {
    expect(normalisePhone(raw, 'US')).toEqual({ e164: null, raw, country: null, valid: false });
  });

  it('masks numbers for logs', () => {
    expect(maskPhone('+13036231131')).toBe('+1***31');
    expect(maskPhone(null)).toBe('');
  });
});

describe('phoneSpellings', () => {
  it('spells a number the ways people type it, for CRM searches that match text exactly', () => {
    expect(phoneSpellings('+13036231131')).toEqual(
      expect.arrayContaining(['(303) 623-1131', '+1 303 623 1131', '303-623-1131', '303.623.1131', '+1-303-623-1131']),
    );
    expect(phoneSpellings('+442079460018')).toEqual(expect.arrayContaining(['020 7946 0018', '+44 20 7946 0018']));
    // Every spelling is the same number again.
    for (const s of phoneSpellings('+380501234567')) expect(normalisePhone(s, 'UA').e164).toBe('+380501234567');
    expect(phoneSpellings('+1555')).toEqual([]);
  });
});
