import { describe, expect, it } from 'vitest';
import { extractBudget } from '../../src/analysis/budget';
import { parseTranscript } from '../../src/analysis/transcript';

const budgetOf = (text: string) => extractBudget(parseTranscript(text, 'inbound')).budget;

describe('budget', () => {
  it.each([
    ['My budget is around $30,000 to $40,000.', 30_000, 40_000],
    ['We were thinking somewhere between fifteen and twenty thousand.', 15_000, 20_000],
    ["We've got about 12 grand set aside.", 12_000, 12_000],
    ['we were thinking like twenty five k ish maybe thirty tops', 25_000, 30_000],
    ['Budget-wise we are thinking like seven, maybe eight grand.', 7_000, 8_000],
    ['Honestly forty grand is about what we can spend.', 40_000, 40_000],
    ['Somewhere in the sixty to seventy five K range.', 60_000, 75_000],
    ["I don't want to spend more than five thousand.", null, 5_000],
    ['I was hoping to stay under ten thousand total.', null, 10_000],
    ["Yeah, we figured it'd be north of a hundred grand.", 100_000, null],
    ['We are approved for a renovation loan of about one hundred seventy five thousand.', 175_000, 175_000],
    ['Tenemos un presupuesto de unos veinte mil dólares.', 20_000, 20_000],
  ])('%s', (text, min, max) => {
    expect(budgetOf(text)).toEqual({ min, max });
  });

  it.each([
    [
      'an agent quote',
      'Agent: A full replacement typically runs $25,000 to $35,000.\nCaller: Wow, that is more than I expected.',
    ],
    ['a competitor quote', 'We got one quote for sixteen thousand which seemed high.'],
    ['an estimate the caller repeats', 'We got your estimate for the kitchen, the forty two thousand one.'],
    ['a monthly bill', 'Our electric bill is like $350 a month in the summer.'],
    ['a charge on an invoice', 'I think I was charged twice for the final payment, $4,250.'],
    ['square footage', 'The kitchen is about 200 square feet.'],
    ['a price per unit', 'Refinishing typically runs $3 to $5 per square foot.'],
    ['a phone number', 'Call me back at 555-201-3344.'],
    [
      'a price the caller accepts',
      'What does that usually run? Okay, around eighteen hundred to twenty four hundred installed, that is fine.',
    ],
  ])('ignores %s', (_name, text) => {
    expect(budgetOf(text)).toEqual({ min: null, max: null });
  });

  it('scales bare numbers when the call is in thousands', () => {
    const text =
      'We got one quote for sixteen thousand which seemed high. We were hoping to be somewhere around ten to twelve.';
    expect(budgetOf(text)).toEqual({ min: 10_000, max: 12_000 });
  });
});
