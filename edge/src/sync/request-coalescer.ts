// Several syncs that need the same kind of CRM request at the same moment share one. A HubSpot
// search can ask for a handful of numbers at once, and search has the tightest limit there is (a
// few a second against 190 requests per 10 s for everything else); a batch create writes up to a
// hundred calls or tasks for the price of one request. Items queue per key (tenant, CRM, kind)
// while earlier requests are under way or waiting for room in the rate window, and go out
// together. Each caller gets the whole answer and the position of its item in the batch.
// In memory, per process, like the rate-limit windows.
import type { Coalesced } from '../crm/batching';

interface Batch {
  items: unknown[];
  maxBatch: number;
  done: Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Lane {
  open: Batch | null;
  queued: Batch[];
  inFlight: number;
}

export interface CoalescerOptions {
  /** Most items in one request unless the caller says otherwise. */
  maxBatch: number;
  /** Requests under way at once per key; more items wait and join the next batch. */
  maxInFlight: number;
}

export class RequestCoalescer {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly options: CoalescerOptions = { maxBatch: 5, maxInFlight: 2 }) {}

  /**
   * Sends `item` with `many`, together with whatever else is waiting under `key`. An item equal
   * (===) to one already in the open batch rides on it instead of being sent twice.
   */
  async run<I, R>(
    key: string,
    item: I,
    many: (items: I[]) => Promise<R>,
    maxBatch = this.options.maxBatch,
  ): Promise<Coalesced<R>> {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { open: null, queued: [], inFlight: 0 };
      this.lanes.set(key, lane);
    }
    let batch = lane.open;
    let index = batch ? batch.items.indexOf(item) : -1;
    if (!batch || index < 0) {
      if (!batch || batch.items.length >= batch.maxBatch) {
        batch = newBatch(maxBatch);
        lane.open = batch;
        lane.queued.push(batch);
      }
      index = batch.items.push(item) - 1;
      // Items added in the same turn join before the batch leaves.
      queueMicrotask(() => this.pump(key, many as (items: unknown[]) => Promise<unknown>));
    }
    return { result: (await batch.done) as R, index };
  }

  private pump(key: string, many: (items: unknown[]) => Promise<unknown>): void {
    const lane = this.lanes.get(key);
    if (!lane) return;
    while (lane.inFlight < this.options.maxInFlight && lane.queued.length > 0) {
      const batch = lane.queued.shift() as Batch;
      if (lane.open === batch) lane.open = null;
      lane.inFlight++;
      many([...batch.items])
        .then(batch.resolve, batch.reject)
        .finally(() => {
          lane.inFlight--;
          if (lane.inFlight === 0 && lane.queued.length === 0) this.lanes.delete(key);
          else this.pump(key, many);
        });
    }
  }
}

function newBatch(maxBatch: number): Batch {
  let resolve!: (value: unknown) => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { items: [], maxBatch, done, resolve, reject };
}
