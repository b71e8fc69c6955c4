/**
 * warmpool-child: write a warmpool job in Node as two functions, a prewarm and a job.
 *
 * ```js
 * import { run } from 'warmpool-child';
 *
 * run({
 *   async prewarm(options) { return { table: buildTable(options.size) }; },
 *   async job(payload, ctx) {
 *     ctx.output({ progress: 0.5 });
 *     return { answer: ctx.state.table[payload.n] };
 *   },
 * });
 * ```
 * @module warmpool-child
 */
import { ChildSession, VERSION } from './lib/child.js';

export { JobCancelledError, log } from './lib/context.js';
export { MAX_FRAME_BYTES } from './lib/frames.js';
export { VERSION };

let started = false;

/**
 * Runs this process as a warmpool child: connects to the worker that started it, runs
 * `prewarm` once, then the worker's jobs one at a time, until the worker shuts the process
 * down or goes away (the process then exits by itself).
 *
 * The worker provides `WARMPOOL_IPC_PORT` and `WARMPOOL_IPC_TOKEN`; run by hand without them,
 * the process prints what is missing and exits with status 2.
 *
 * @template State, Payload, Result
 * @param {import('./index.js').JobDefinition<State, Payload, Result>} definition
 * @returns {void}
 * @throws {TypeError} when `definition.job` is not a function, or `run` was already called
 */
export function run(definition) {
  if (definition === null || typeof definition !== 'object') {
    throw new TypeError('run() takes an object: run({ prewarm(options) {…}, job(payload, ctx) {…} })');
  }
  if (typeof definition.job !== 'function') {
    throw new TypeError('run() needs a job function: run({ job(payload, ctx) {…} })');
  }
  if (definition.prewarm !== undefined && typeof definition.prewarm !== 'function') {
    throw new TypeError('prewarm must be a function when given');
  }
  if (started) {
    throw new TypeError('run() was already called: a process is one warmpool child');
  }
  started = true;
  new ChildSession(definition).start();
}
