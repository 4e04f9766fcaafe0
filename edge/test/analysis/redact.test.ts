import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abaRoutingValid, luhnValid, redactPii, ssnValid } from '../../src/analysis/redact';

describe('redactPii masks', () => {
  it.each([
    [
      'a card read out digit by digit',
      'Sure, it is four one one one, one one one one, one one one one, one one one one.',
      'card',
    ],
    [
      'a card with a leading "oh"',
      'Oh, four five five six, seven three seven five, eight six eight nine, nine eight five five.',
      'card',
    ],
    ['a card written with spaces', 'My Visa is 4111 1111 1111 1111, expiring in May.', 'card'],
    ['a card written with dashes', 'The Mastercard number is 5555-5555-5555-4444.', 'card'],
    ['an Amex in 4-6-5 groups', 'Amex 3782 822463 10005 please.', 'card'],
    ['a card with "double"', 'four one double one, one one one one, one one one one, one one one one', 'card'],
    ['a card written in one block', 'card number 4012888888881881 thanks', 'card'],
    ['a written SSN', 'My social is 521-44-8790.', 'ssn'],
    [
      'a spoken SSN after "social"',
      'my social security number is five two one, four four, eight seven nine zero',
      'ssn',
    ],
    ['a routing number', 'Routing number 021000021, thanks.', 'routing_number'],
    ['a spoken routing number', 'the routing is zero two one zero zero zero zero two one', 'routing_number'],
    ['an account number', 'and the account number is 4471 0938 2215.', 'bank_account'],
    ['a checking account number', 'take it from my checking account 000123456789', 'bank_account'],
    ['a security code', 'the security code is one two three', 'card_security_code'],
  ] as const)('%s', (_name, text, kind) => {
    const result = redactPii(text);
    expect(result.counts[kind]).toBe(1);
    expect(result.total).toBe(1);
    expect(result.text).not.toMatch(/\d{4}/);
  });

  it('a security code said on its own turn after the question', () => {
    const text = 'Agent: Got it, and the security code?\nCaller: One two three.\nAgent: Thanks.';
    const result = redactPii(text);
    expect(result.counts.card_security_code).toBe(1);
    expect(result.text).toContain('Caller: [REDACTED SECURITY CODE].');
  });

  it('counts every kind in one call', () => {
    const text = 'Card 4111 1111 1111 1111, social 521-44-8790, routing number 021000021, account number 12345678901.';
    const result = redactPii(text);
    expect(result.counts).toEqual({ card: 1, card_security_code: 0, ssn: 1, routing_number: 1, bank_account: 1 });
    expect(result.text).toBe(
      'Card [REDACTED CARD], social [REDACTED SSN], routing number [REDACTED ROUTING NUMBER], account number [REDACTED ACCOUNT NUMBER].',
    );
  });
});

describe('redactPii keeps', () => {
  it.each([
    ['a phone number', 'Call me back at (555) 201-3344 or +1 555 867 2231.'],
    ['a spoken phone number', 'my number is five five five, two zero one, three three four four'],
    ['an email', 'Email me at jane.doe@example.com.'],
    ['prices', 'Our budget is $30,000 to $40,000, and the deposit was $2,500.00.'],
    ['a large amount near "savings"', 'We have about 150,000 in savings for it.'],
    ['dates', 'We would like to start on 12/15/2026 or March 3rd, 2026.'],
    ['a ZIP code', 'The house is in 90210.'],
    ['an order number', 'My order number is 88231947 and the invoice is INV-20931.'],
    ['a 16-digit number that fails Luhn', 'Reference 4111 1111 1111 1112 on the work order.'],
    ['a 9-digit number with no bank or SSN context', 'The permit number is 123456789.'],
    ['a Luhn-valid number without an issuer prefix or card context', 'Tracking 8000 0000 0000 0009 is on the box.'],
    ['a street address and years', '418 Birch Lane, built in 1985, roof from 2004.'],
  ])('%s', (_name, text) => {
    const result = redactPii(text);
    expect(result.total).toBe(0);
    expect(result.text).toBe(text);
  });

  it('leaves empty text alone', () => {
    expect(redactPii('')).toMatchObject({ text: '', total: 0 });
  });
});

describe('checksums', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['79927398713', true],
  ])('luhn %s', (digits, valid) => expect(luhnValid(digits)).toBe(valid));

  it.each([
    ['021000021', true],
    ['011000015', true],
    ['123456789', false],
  ])('ABA %s', (digits, valid) => expect(abaRoutingValid(digits)).toBe(valid));

  it.each([
    ['521448790', true],
    ['000123456', false],
    ['666123456', false],
    ['912345678', false],
    ['521000790', false],
  ])('SSN %s', (digits, valid) => expect(ssnValid(digits)).toBe(valid));
});

/** A Visa number with a valid Luhn check digit, from 15 random digits. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

describe('properties', () => {
  const visa = fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 14, maxLength: 14 })
    .map((ds) => withCheckDigit('4' + ds.join('')));

  it('masks any valid Visa number, grouped or spoken', () => {
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    fc.assert(
      fc.property(visa, fc.boolean(), (card, spoken) => {
        const said = spoken
          ? card
              .match(/.{4}/g)!
              .map((g) => [...g].map((d) => words[Number(d)]).join(' '))
              .join(', ')
          : card.match(/.{4}/g)!.join(' ');
        const result = redactPii(`ok my card is ${said} and that's it`);
        return result.counts.card === 1 && !result.text.includes(card.slice(-4));
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(visa, (card) => {
        const once = redactPii(`card ${card}, social 521-44-8790`).text;
        return redactPii(once).text === once && redactPii(once).total === 0;
      }),
    );
  });
});
