import { describe, expect, it } from 'vitest';
import { extractTimeline, bucketFor } from '../../src/analysis/timeline';
import { parseTranscript } from '../../src/analysis/transcript';

const timelineOf = (text: string, callDate: string) =>
  extractTimeline(parseTranscript(text, 'inbound'), new Date(callDate + 'T00:00:00Z')).timeline;

describe('timeline', () => {
  it.each([
    ['in the next 2-3 months', '2026-03-02', '1-3_months'],
    ['We need it done as soon as possible.', '2026-03-02', 'immediate'],
    ['I need someone out here today.', '2026-03-02', 'immediate'],
    ['Ideally before Thanksgiving.', '2026-09-15', '1-3_months'],
    ['Ideally before Thanksgiving.', '2026-11-10', 'immediate'],
    ['We want to start after the baby comes in March.', '2026-10-20', '3-6_months'],
    ['Sometime in the spring, after the holidays for sure.', '2026-11-20', '3-6_months'],
    ['We would like to get started this summer.', '2026-05-01', '1-3_months'],
    ['We want them replaced before winter.', '2026-09-25', '1-3_months'],
    ['Probably sometime next month.', '2026-02-10', '1-3_months'],
    ['in the next few weeks if possible', '2026-10-01', '1-3_months'],
    ['maybe in the next four or five months', '2026-06-20', '3-6_months'],
    ['Probably do it next year.', '2026-05-10', '6+_months'],
    ["It's probably a year or two out.", '2026-03-05', '6+_months'],
    ['Maybe later this year, nothing urgent.', '2026-06-10', '3-6_months'],
    ['by the end of June', '2026-02-14', '3-6_months'],
    ['Queremos empezar en dos meses.', '2026-04-20', '1-3_months'],
    ['We want to replace it within the month.', '2026-10-02', '1-3_months'],
    ['no rush, just getting ideas', '2026-03-02', 'unknown'],
  ])('%s (called %s)', (text, date, expected) => {
    expect(timelineOf(text, date)).toBe(expected);
  });

  it.each([
    ['a callback time', 'Can you call me back tomorrow after five?'],
    ['moving an appointment', 'Can we move it to next week?'],
    ['a showroom visit', "Maybe I'll stop by the showroom this weekend."],
    ['work already done', 'You installed our solar panels in March.'],
    ['an agent quoting lead time', 'Agent: We are booked out about six weeks right now.'],
  ])('ignores %s', (_name, text) => {
    expect(timelineOf(text, '2026-01-10')).toBe('unknown');
  });

  it('prefers the project date to the visit date', () => {
    const text = "We'd like it done in the next month or two. Can you come out and give us a quote this week?";
    expect(timelineOf(text, '2026-09-08')).toBe('1-3_months');
  });

  it.each([
    [0.2, 'immediate'],
    [2, '1-3_months'],
    [3.2, '1-3_months'],
    [5, '3-6_months'],
    [9, '6+_months'],
  ] as const)('bucket for %s months', (months, bucket) => expect(bucketFor(months)).toBe(bucket));
});
