import { describe, expect, it } from 'vitest';
import { RequestCoalescer } from '../../src/sync/request-coalescer';

/** A search that answers when told to, and remembers what it was asked. */
function slowSearch() {
  const asked: string[][] = [];
  const pending: (() => void)[] = [];
  const searchMany = (items: string[]) => {
    asked.push(items);
    return new Promise<string[]>((resolve) => pending.push(() => resolve(items.map((i) => `found ${i}`))));
  };
  const answer = async () => {
    for (const release of pending.splice(0)) release();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { asked, searchMany, answer };
}

describe('RequestCoalescer', () => {
  it('sends lookups made while a search is under way together, and each caller gets the batch', async () => {
    const c = new RequestCoalescer({ maxBatch: 5, maxInFlight: 1 });
    const s = slowSearch();
    const first = c.run('t:hubspot', '+1', s.searchMany);
    await Promise.resolve();
    const later = ['+2', '+3', '+4'].map((p) => c.run('t:hubspot', p, s.searchMany));
    await s.answer();
    await s.answer();
    expect(s.asked).toEqual([['+1'], ['+2', '+3', '+4']]);
    expect(await first).toEqual({ result: ['found +1'], index: 0 });
    const answers = await Promise.all(later);
    expect(answers.map((a) => a.index)).toEqual([0, 1, 2]);
    for (const a of answers) expect(a.result).toEqual(['found +2', 'found +3', 'found +4']);
  });

  it('splits at the batch size, keeps tenants apart, and asks for a number once', async () => {
    const c = new RequestCoalescer({ maxBatch: 2, maxInFlight: 1 });
    const s = slowSearch();
    const runs = ['+1', '+2', '+2', '+3'].map((p) => c.run('a', p, s.searchMany));
    void c.run('b', '+9', s.searchMany);
    for (let i = 0; i < 3; i++) await s.answer();
    const answers = await Promise.all(runs);
    expect(s.asked).toEqual([['+1', '+2'], ['+9'], ['+3']]);
    // The second lookup of +2 rode on the first: same batch, same place.
    expect(answers.map((a) => a.index)).toEqual([0, 1, 1, 0]);
  });

  it('hands a failed search to every caller in its batch, and the next batch still goes', async () => {
    const c = new RequestCoalescer({ maxBatch: 5, maxInFlight: 1 });
    let calls = 0;
    const searchMany = async (items: string[]) => {
      calls++;
      if (calls === 1) throw new Error('429');
      return items;
    };
    const failing = [c.run('t', '+1', searchMany), c.run('t', '+2', searchMany)];
    await expect(failing[0]).rejects.toThrow('429');
    await expect(failing[1]).rejects.toThrow('429');
    expect(await c.run('t', '+3', searchMany)).toEqual({ result: ['+3'], index: 0 });
  });

  it('lets a caller cap its own batches, whatever the default', async () => {
    const c = new RequestCoalescer({ maxBatch: 5, maxInFlight: 1 });
    const s = slowSearch();
    const runs = ['a', 'b', 'c', 'd'].map((p) => c.run('creates', p, s.searchMany, 3));
    for (let i = 0; i < 3; i++) await s.answer();
    await Promise.all(runs);
    expect(s.asked).toEqual([['a', 'b', 'c'], ['d']]);
  });
});
