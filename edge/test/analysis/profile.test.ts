import { describe, expect, it } from 'vitest';
import { kitchenExample, signalsOf } from './helpers';

describe('decision maker', () => {
  it.each([
    ['No, I rent. I would have to ask my landlord about new flooring in my living room.', 'renter'],
    ['I am a realtor with Keller Williams, my sellers want the floors refinished.', 'realtor'],
    ["I'm calling for my mom, she needs grab bars in her bathroom.", 'relative'],
    ['I am the property manager for a fourplex, the tenant says the AC is out.', 'property_manager'],
    ['We just closed on a ranch and have to be out of our rental by June.', 'owner'],
    ['Agent: Do you own the home?\nCaller: Yes, we own it.', 'owner'],
    [kitchenExample, 'owner'],
    ['Do you install gutters?', 'unknown'],
  ])('%s', (transcript, who) => expect(signalsOf(transcript).decisionMaker).toBe(who));
});

describe('urgency', () => {
  it.each([
    ['Water is coming through the ceiling, the roof is leaking right now.', 'high'],
    [kitchenExample, 'high'],
    ['We want a new bathroom sometime in the next four or five months.', 'medium'],
    ['We had some hail damage on the roof.', 'medium'],
    ['Thinking about solar eventually, just curious about prices.', 'low'],
  ])('%s', (transcript, urgency) => expect(signalsOf(transcript, { callDate: '2026-06-20' }).urgency).toBe(urgency));
});

describe('sentiment', () => {
  it.each([
    ['Thank you so much, that sounds great, we love your work.', 'positive'],
    ['Nobody showed up and I am pretty frustrated.', 'negative'],
    ['I need a quote for a fence.', 'neutral'],
    ['I am not happy with how this went.', 'negative'],
  ])('%s', (transcript, sentiment) => expect(signalsOf(transcript).sentiment).toBe(sentiment));
});

describe('summary and action items', () => {
  it('says what the call was and what to do', () => {
    const s = signalsOf(kitchenExample);
    expect(s.summary).toBe(
      'Homeowner wants a kitchen remodel (within 1-3 months, budget $30,000-$40,000). Ready to move forward; no appointment booked yet.',
    );
    expect(s.actionItems[0]).toMatch(/within the hour/);
    expect(s.keyInsights).toContain("Budget: $30,000-$40,000 (the caller's own figure)");
  });

  it('reminds to get the landlord on board for renters', () => {
    const s = signalsOf("I'm interested in new flooring next month. No, I rent, my landlord would have to approve it.");
    expect(s.actionItems.join(' ')).toMatch(/landlord/);
  });
});
