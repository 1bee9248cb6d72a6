// The helper thread that writes tasks.arrow while the simulation runs: one run's ring per message.
// It runs at a lower priority than the simulation (see lowerThreadPriority): when the two want the
// same core, the simulation gets it; the ring lets the helper catch up once the core is free.
import { parentPort } from 'node:worker_threads';
import { lowerThreadPriority } from '../thread-priority.js';
import { consumeTaskRows, type TaskRowJob } from './task-rows.js';

lowerThreadPriority();
parentPort?.on('message', (job: TaskRowJob) => consumeTaskRows(job));
