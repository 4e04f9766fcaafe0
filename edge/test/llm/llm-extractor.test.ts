import { describe, expect, it } from 'vitest';
import type { Signals } from '@callsight/shared';
import {
  extractJsonObject,
  workersAiExtractor,
  WORKERS_AI_MODEL,
  type WorkersAiBinding,
} from '../../src/analysis/llm-extractor';

const input = {
  transcript: "Caller: We need a new roof before winter, budget's about twenty grand. I own the house.",
  direction: 'inbound' as const,
  answered: true,
  durationSeconds: 140,
  callDate: '2026-10-01T15:00:00Z',
};

const valid: Signals = {
  intent: 'roofing',
  timeline: '1-3_months',
  budget: { min: 20000, max: 20000 },
  urgency: 'high',
  decisionMaker: 'owner',
  disposition: 'interested',
  sentiment: 'positive',
  spam: false,
  keyInsights: ['Roof replacement before winter'],
  summary: 'Homeowner wants a new roof before winter with a budget of about $20,000.',
  actionItems: ['Schedule a roof inspection'],
  evidence: {
    intent: 'We need a new roof',
    timeline: 'before winter',
    budget: "budget's about twenty grand",
    urgency: 'before winter',
    decisionMaker: 'I own the house',
    disposition: null,
    sentiment: null,
    spam: null,
  },
};

/** A stand-in for env.AI: records what was sent and answers like Workers AI does. */
function fakeBinding(
  answer: () => unknown,
): WorkersAiBinding & { calls: { model: string; inputs: Record<string, unknown> }[] } {
  const calls: { model: string; inputs: Record<string, unknown> }[] = [];
  return {
    calls,
    async run(model, inputs) {
      calls.push({ model, inputs });
      return answer();
    },
  };
}

describe('Workers AI extractor', () => {
  it('sends llama 3.3 a JSON-schema request at temperature 0 with room for the whole object', async () => {
    const binding = fakeBinding(() => ({ response: valid }));
    const signals = await workersAiExtractor(binding).extract(input);
    expect(signals).toEqual(valid);
    const [call] = binding.calls;
    expect(call?.model).toBe(WORKERS_AI_MODEL);
    expect(call?.inputs).toMatchObject({ temperature: 0, response_format: { type: 'json_schema' } });
    expect(Number(call?.inputs.max_tokens)).toBeGreaterThanOrEqual(1024);
    expect(JSON.stringify(call?.inputs.messages)).toContain('twenty grand');
  });

  it('accepts JSON as a string, fenced, even after a line of prose', async () => {
    for (const response of [
      JSON.stringify(valid),
      `\`\`\`json\n${JSON.stringify(valid)}\n\`\`\``,
      `Here is the analysis:\n\`\`\`json\n${JSON.stringify(valid, null, 2)}\n\`\`\`\nLet me know.`,
    ]) {
      expect(await workersAiExtractor(fakeBinding(() => ({ response }))).extract(input)).toEqual(valid);
    }
  });

  it('maps an intent outside the taxonomy to other_project', async () => {
    const binding = fakeBinding(() => ({ response: { ...valid, intent: 'pool_installation' } }));
    expect((await workersAiExtractor(binding).extract(input)).intent).toBe('other_project');
  });

  it('rejects an object that does not fit the schema', async () => {
    const binding = fakeBinding(() => ({ response: { ...valid, timeline: 'soonish' } }));
    await expect(workersAiExtractor(binding).extract(input)).rejects.toThrow();
  });

  it('fails when the binding fails, and when it does not answer in time', async () => {
    await expect(
      workersAiExtractor(
        fakeBinding(() => {
          throw new Error('JSON Mode couldn\u2019t be met');
        }),
      ).extract(input),
    ).rejects.toThrow();
    const never = fakeBinding(() => new Promise(() => undefined));
    await expect(workersAiExtractor(never, 50).extract(input)).rejects.toThrow();
  });
});

describe('extractJsonObject', () => {
  it('keeps the outermost object', () => {
    expect(extractJsonObject('prose {"a":{"b":1}} trailing')).toBe('{"a":{"b":1}}');
    expect(extractJsonObject('no json')).toBe('no json');
  });
});
