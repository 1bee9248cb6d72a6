// A worker thread for test/thread-priority.test.ts: lowers its own priority, says its id and new
// nice value, and stays up until terminated so that the test can read the kernel's view of it.
import { parentPort } from 'node:worker_threads';
import { lowerThreadPriority, threadId } from '../src/thread-priority.js';

const nice = lowerThreadPriority();
parentPort?.postMessage({ tid: threadId(), nice });
parentPort?.on('message', () => undefined);
