// The raw worker_threads floor for bench/threads.bench.mjs: answers every message with itself.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (message) => parentPort.postMessage(message));
