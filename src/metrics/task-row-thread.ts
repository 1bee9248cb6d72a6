// The helper thread that writes tasks.arrow while the simulation runs: one run's ring per message.
import { parentPort } from 'node:worker_threads';
import { consumeTaskRows, type TaskRowJob } from './task-rows.js';

parentPort?.on('message', (job: TaskRowJob) => consumeTaskRows(job));
