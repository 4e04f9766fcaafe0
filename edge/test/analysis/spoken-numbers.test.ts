import { describe, expect, it } from 'vitest';
import { findNumbers } from '../../src/analysis/spoken-numbers';

const values = (text: string) => findNumbers(text).map((n) => n.value);

describe('findNumbers', () => {
  it.each([
    ['forty grand', [40_000]],
    ['25k-ish', [25_000]],
    ['twenty five k', [25_000]],
    ['$30,000 to $40,000', [30_000, 40_000]],
    ['thirty five hundred dollars', [3_500]],
    ['a hundred and twenty thousand', [120_000]],
    ['one hundred seventy five thousand', [175_000]],
    ['1.5 million', [1_500_000]],
    ['two million five hundred thousand', [2_500_000]],
    ['between fifteen and twenty thousand', [15, 20_000]],
    ['30-40k', [30, 40_000]],
    ['veinte mil dólares', [20_000]],
    ['treinta y cinco mil', [35_000]],
    ['four five five six', [4, 5, 5, 6]],
    ['seven, maybe eight grand', [7, 8_000]],
    ['no numbers here', []],
  ])('%s', (text, expected) => expect(values(text)).toEqual(expected));

  it('marks currency and scale', () => {
    const [dollars, grand, bare] = findNumbers('$300 then forty grand then twelve');
    expect(dollars).toMatchObject({ value: 300, currency: true, scaled: false });
    expect(grand).toMatchObject({ value: 40_000, currency: false, scaled: true });
    expect(bare).toMatchObject({ value: 12, currency: false, scaled: false });
  });
});
