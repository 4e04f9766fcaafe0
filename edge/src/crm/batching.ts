// How an adapter shares a request with other syncs of the same tenant and CRM (a search for
// several numbers, a batch create): the sync engine hands it a `Coalesce`, the adapter says what
// it sends and how to send a batch. Implemented by sync/request-coalescer.ts.

/** One item's share of a batched request: the whole answer and where the item sits in it. */
export interface Coalesced<R> {
  result: R;
  index: number;
}

/** `what` names the kind of request (its queue); `many` sends a batch; at most `maxBatch` items. */
export type Coalesce = <I, R>(
  what: string,
  item: I,
  many: (items: I[]) => Promise<R>,
  maxBatch?: number,
) => Promise<Coalesced<R>>;
