import type { Endpoint } from './Endpoint.js';
import type { BackChannel, Envelope } from './protocol.js';

/**
 * The conversations that share one link's port (see protocol.ts). The link's own batches are arrays
 * sent as they are, so its hot path costs nothing extra; a conversation the worker opens back wraps its
 * batches in an {@link Envelope}. Each side listens to each conversation through the endpoint below
 * that selects it, so the same client and server code runs both ways.
 */

/** The link's own conversation: the bare batches. */
export function ownChannel(endpoint: Endpoint): Endpoint {
  return {
    postMessage: (message, transfer) => endpoint.postMessage(message, transfer),
    listen: (listener) =>
      endpoint.listen((data) => {
        if (Array.isArray(data)) listener(data);
      }),
  };
}

/** A conversation opened back by the worker: its batches, in and out of their envelopes. */
export function backChannel(endpoint: Endpoint, channel: BackChannel): Endpoint {
  return {
    postMessage(batch, transfer) {
      const envelope: Envelope = { channel, batch: batch as Envelope['batch'] };
      endpoint.postMessage(envelope, transfer);
    },
    listen: (listener) =>
      endpoint.listen((data) => {
        if (!Array.isArray(data) && (data as Envelope | null)?.channel === channel) listener((data as Envelope).batch);
      }),
  };
}
