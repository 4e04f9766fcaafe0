// Several syncs looking up new callers at the same moment share one CRM search: a search can ask
// for a handful of numbers at once, and search has the tightest rate limit there is (HubSpot:
// a few a second against 190 requests per 10 s for everything else). Lookups queue per tenant and
// CRM while earlier searches are under way (or waiting for room), and go out together. Each
// caller gets every candidate of its batch and keeps its own by comparing E.164, as it would.
// In memory, per process, like the rate-limit windows.

interface Batch<R> {
  items: string[];
  done: Promise<R[]>;
  resolve: (value: R[]) => void;
  reject: (error: unknown) => void;
}

interface Lane<R> {
  open: Batch<R> | null;
  queued: Batch<R>[];
  inFlight: number;
}

export interface CoalescerOptions {
  /** Most items in one search (HubSpot: five numbers keep each IN list well under 100 values). */
  maxBatch: number;
  /** Searches under way at once per key; more lookups wait and join the next batch. */
  maxInFlight: number;
}

export class SearchCoalescer<R> {
  private readonly lanes = new Map<string, Lane<R>>();

  constructor(private readonly options: CoalescerOptions = { maxBatch: 5, maxInFlight: 2 }) {}

  /** Looks `item` up with `searchMany`, together with whatever else is waiting under `key`. */
  run(key: string, item: string, searchMany: (items: string[]) => Promise<R[]>): Promise<R[]> {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { open: null, queued: [], inFlight: 0 };
      this.lanes.set(key, lane);
    }
    const joined = lane.open?.items.includes(item) ? lane.open : null;
    if (joined) return joined.done;
    if (!lane.open || lane.open.items.length >= this.options.maxBatch) {
      lane.open = newBatch<R>();
      lane.queued.push(lane.open);
    }
    const batch = lane.open;
    batch.items.push(item);
    // Lookups made in the same turn join before the batch leaves.
    queueMicrotask(() => this.pump(key, searchMany));
    return batch.done;
  }

  private pump(key: string, searchMany: (items: string[]) => Promise<R[]>): void {
    const lane = this.lanes.get(key);
    if (!lane) return;
    while (lane.inFlight < this.options.maxInFlight && lane.queued.length > 0) {
      const batch = lane.queued.shift() as Batch<R>;
      if (lane.open === batch) lane.open = null;
      lane.inFlight++;
      searchMany([...batch.items])
        .then(batch.resolve, batch.reject)
        .finally(() => {
          lane.inFlight--;
          if (lane.inFlight === 0 && lane.queued.length === 0) this.lanes.delete(key);
          else this.pump(key, searchMany);
        });
    }
  }
}

function newBatch<R>(): Batch<R> {
  let resolve!: (value: R[]) => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<R[]>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { items: [], done, resolve, reject };
}
