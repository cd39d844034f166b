/**
 * A lint worker thread: checks the chunks of a run it is given (see pool.ts) and sends back each chunk's part of
 * the result, as plain data, with the time each walked file took. It sees the whole run's file list, so cross-file
 * lookups find exactly what they find in the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkFiles } from '../../lint/engine.js';
import { activeRules, PROFILES } from '../../lint/profiles.js';
import { diskHost, FileTimer } from './host.js';
import type { ChunkRequest, ChunkResult, WorkerSetup } from './pool.js';

const setup = workerData as WorkerSetup;
const rules = activeRules(setup.profile, setup.ruleOverrides);
const profile = PROFILES[setup.profile];
const port = parentPort;
if (!port) throw new Error('lint-worker.js runs as a worker thread');

port.on('message', (req: ChunkRequest) => {
  const timer = new FileTimer(setup.cwd, setup.files.slice(req.from, req.to).map((f) => f.abs));
  const host = diskHost(setup.cwd, (abs) => timer.onRead(abs));
  const part = checkFiles(setup.files, host, { rules, profile }, req.from, req.to);
  timer.lap(Date.now());
  const result: ChunkResult = { chunk: req.chunk, part, fileMs: [...timer.fileMs] };
  port.postMessage(result);
});
