import type { Endpoint } from './Endpoint.js';

/**
 * Batches what one side sends in a tick into one `postMessage` (an array of messages), flushed in a
 * microtask: a burst of tiny calls costs one structured clone and one wake-up of the other thread.
 *
 * A batch that cannot be cloned (a function among the arguments, say) is re-sent message by message,
 * so only the message at fault fails: `onUncloneable` gets it and may return a message to send in its
 * place (the worker answers the call with an error); nothing else is lost and the thread stays healthy.
 */
export class Outbox<M> {
  private messages: M[] = [];
  /** Transfer lists, by index into `messages` (sparse: most messages move nothing). */
  private transfers: (object[] | undefined)[] | undefined;
  private scheduled = false;
  private readonly flushNow = () => {
    this.scheduled = false;
    this.flush();
  };

  constructor(
    private readonly endpoint: Endpoint,
    private readonly onUncloneable: (message: M, error: unknown) => M | undefined,
    /** What a batch travels as (the link's compact form, see compactBatch.ts); by default the array itself. */
    private readonly encode: (messages: M[]) => unknown = (messages) => messages,
  ) {}

  push(message: M, transfer?: object[]): void {
    const index = this.messages.push(message) - 1;
    if (transfer !== undefined && transfer.length > 0) (this.transfers ??= [])[index] = transfer;
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flushNow);
    }
  }

  /** Sends what is waiting now (also done by a microtask after the first push of a tick). */
  flush(): void {
    const messages = this.messages;
    if (messages.length === 0) return;
    const transfers = this.transfers;
    this.messages = [];
    this.transfers = undefined;
    try {
      this.endpoint.postMessage(this.encode(messages), transfers === undefined ? undefined : (transfers.flat() as object[]));
    } catch (error) {
      if (messages.length === 1) this.failed(messages[0]!, error);
      else this.sendOneByOne(messages, transfers);
    }
  }

  private sendOneByOne(messages: M[], transfers: (object[] | undefined)[] | undefined): void {
    for (let i = 0; i < messages.length; i++) {
      try {
        this.endpoint.postMessage(this.encode([messages[i]!]), transfers?.[i]);
      } catch (error) {
        this.failed(messages[i]!, error);
      }
    }
  }

  private failed(message: M, error: unknown): void {
    const replacement = this.onUncloneable(message, error);
    if (replacement === undefined) return;
    try {
      this.endpoint.postMessage(this.encode([replacement]));
    } catch {
      // The replacement is plain data built by us; a port that refuses it is closed, and the side that
      // owns it learns so from the thread's exit.
    }
  }
}
