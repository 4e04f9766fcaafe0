import { describe, expect, it } from 'vitest';
import { normalizeSpeech, parseTranscript } from '../../src/analysis/transcript';

describe('parseTranscript', () => {
  it.each([
    ['Agent/Caller lines', 'Agent: Thanks for calling.\nCaller: Hi, I need a roof.', ['agent', 'caller']],
    ['Retell Agent/User lines', 'Agent: Hi, how can I help?\nUser: I want solar.', ['agent', 'caller']],
    ['labels inline on one line', 'Agent: Thanks for calling. Caller: Hi, I need a roof.', ['agent', 'caller']],
    [
      'Speaker 1/2 resolved by what they say',
      'Speaker 1: Thank you for calling Summit, how can I help?\nSpeaker 2: I need a quote.',
      ['agent', 'caller'],
    ],
    [
      'names as labels',
      'Maria: Sunrise Solar, this is Maria from Sunrise, how can I help?\nTom: I want panels.',
      ['agent', 'caller'],
    ],
    ['no labels', 'Hi, I need a new roof. It is leaking.', ['unknown', 'unknown']],
  ])('%s', (_name, text, roles) => {
    expect(parseTranscript(text, 'inbound').sentences.map((s) => s.role)).toEqual(roles);
  });

  it('counts content words, not greetings', () => {
    expect(parseTranscript('Hello? Hello? ...', 'inbound').contentWords).toBe(0);
    expect(parseTranscript(null, 'inbound').sentences).toEqual([]);
  });
});

describe('normalizeSpeech', () => {
  it.each([
    ['Um, the bath room up stairs, uh, needs work', 'the bathroom upstairs, needs work'],
    ['the the counter tops and and cabinets', 'the countertops and cabinets'],
    ['the A/C wont turn on', "the ac won't turn on"],
    ['we wanna get it done, theres a leak', "we want to get it done, there's a leak"],
  ])('%s', (text, norm) => expect(normalizeSpeech(text)).toBe(norm));
});
