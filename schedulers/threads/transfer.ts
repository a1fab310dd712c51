import { got } from '../../lib/internal/validate.js';

/** The run-time brand of a transfer marker; registered, so both builds of the package recognise it. */
const TRANSFER = Symbol.for('rxjs-caller.transfer');

/** What `transfer()` really returns. */
interface TransferMarker {
  readonly [TRANSFER]: true;
  readonly value: unknown;
  readonly list: readonly object[];
}

/**
 * Marks `value` so the objects in `transferList` (ArrayBuffers, MessagePorts and other Transferables)
 * are moved to the other thread instead of copied: fast for big buffers, and the sender's copy is
 * detached (an ArrayBuffer's `byteLength` becomes 0). Use it for an argument of a thread call
 * (`toThread`, `ThreadCaller.callSoon`, `runSync`) or for the value a thread task returns; it is typed
 * as `value` so typed tasks still check. Only direct arguments and direct results are looked at.
 *
 * @example
 * import { Caller, transfer } from 'rxjs-caller';
 * const pixels = new ArrayBuffer(1 << 20);
 * const sum = await Caller.current().toThread((b: ArrayBuffer) => new Uint8Array(b).length, transfer(pixels, [pixels]));
 * pixels.byteLength; // 0: it moved
 * @param value The argument or result to send.
 * @param transferList The Transferables inside `value` to move.
 * @returns a marker standing for `value`, to be given to a thread call or returned by a task.
 * @throws TypeError when `transferList` is not an array.
 */
export function transfer<T>(value: T, transferList: readonly object[]): T {
  if (!Array.isArray(transferList)) throw new TypeError(`Expected \`transferList\` to be an array of Transferables, got ${got(transferList)}`);
  const marker: TransferMarker = { [TRANSFER]: true, value, list: transferList };
  return marker as unknown as T;
}

function isMarker(value: unknown): value is TransferMarker {
  return typeof value === 'object' && value !== null && (value as Partial<TransferMarker>)[TRANSFER] === true;
}

/** @internal The value a marker stands for, with the objects to move added to `list`. */
export function unwrapTransfer(value: unknown, list: object[] | undefined): { value: unknown; list: object[] | undefined } {
  if (!isMarker(value)) return { value, list };
  return { value: value.value, list: list === undefined ? [...value.list] : list.concat(value.list) };
}

/**
 * @internal Arguments with their markers replaced by what they stand for; the objects to move in
 * `list` (undefined when nothing is moved). `args` itself is returned when no marker is found.
 */
export function unwrapTransfers(args: readonly unknown[]): { args: readonly unknown[]; list: object[] | undefined } {
  let out: unknown[] | undefined;
  let list: object[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!isMarker(arg)) continue;
    out ??= args.slice();
    out[i] = arg.value;
    list = list === undefined ? [...arg.list] : list.concat(arg.list);
  }
  return { args: out ?? args, list };
}
