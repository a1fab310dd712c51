import type { CallMessage, ClientMessage, ResultMessage, WorkerMessage } from './protocol.js';

type Message = ClientMessage | WorkerMessage;

/**
 * The compact form of a batch (see protocol.ts): the two messages every call sends, a plain `call` and a
 * `result`, travel as a tag followed by their fields in the batch array itself, where every other
 * message travels as its object. Structured clone writes each object's keys as strings, so the flat form
 * takes about a microsecond off each round trip. Tags are numbers and messages objects, so the two never
 * mix up; a value in the fields (a call's `args`, a `result`'s `value`) is read by its position, never
 * looked at, so it may be anything, a number that equals a tag included.
 */
const CALL = 0;
const RESULT = 1;

/** A batch in its compact form, as `postMessage` sends it. */
export function encodeBatch(messages: readonly Message[]): unknown[] {
  const wire: unknown[] = [];
  for (const message of messages) {
    if (message.type === 'result') wire.push(RESULT, message.id, message.value);
    // A call with a `mode` or a `delay` (a ThreadCaller's stream or callLater) keeps its object form.
    else if (message.type === 'call' && message.mode === undefined && message.delay === undefined) wire.push(CALL, message.id, message.task, message.slot, message.args);
    else wire.push(message);
  }
  return wire;
}

/** The messages of a batch received in its compact form (a batch of objects alone reads as it is). */
export function decodeBatch<M extends Message>(wire: readonly unknown[]): M[] {
  const messages: Message[] = [];
  for (let i = 0; i < wire.length; ) {
    const head = wire[i];
    if (head === RESULT) {
      messages.push({ type: 'result', id: wire[i + 1], value: wire[i + 2] } as ResultMessage);
      i += 3;
    } else if (head === CALL) {
      messages.push({ type: 'call', id: wire[i + 1], task: wire[i + 2], slot: wire[i + 3], args: wire[i + 4] } as CallMessage);
      i += 5;
    } else {
      messages.push(head as Message);
      i++;
    }
  }
  return messages as M[];
}
