/**
 * Runs async work one piece at a time, in order: the sandboxes' stand-in for a database
 * transaction around a check-then-write (a unique external id, a duplicate rule), so two
 * requests cannot interleave between the check and the write.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
