/**
 * Runs a job in this process, without a worker, for the job's own unit tests.
 *
 * ```js
 * import { runJob } from 'warmpool-child/testing';
 * import definition from '../job.mjs';
 *
 * const outcome = await runJob(definition, { n: 3 }, { options: { size: 10 } });
 * assert.deepEqual(outcome.result, { answer: 9 });
 * ```
 * @module warmpool-child/testing
 */
import { JobCancelledError, JobContext, scope } from './lib/context.js';
import { executeJob } from './lib/execute.js';

/**
 * Runs `definition.prewarm(options)` (when there is one) and returns what it returned, with
 * the records it logged. Use it to prewarm once and give the state to many `runJob` calls.
 * @param {{ prewarm?: Function }} definition
 * @param {object} [options] as the worker's `child.options` would give them
 * @returns {Promise<{ state: unknown, logs: object[] }>}
 */
export async function prewarm(definition, options = {}) {
  const logs = [];
  const sink = (record) => logs.push(withoutType(record));
  const state = definition.prewarm === undefined
    ? undefined
    : await scope.run({ job: null, sink }, () => definition.prewarm(options));
  return { state, logs };
}

/**
 * Runs one job as a worker would and collects what it sent.
 *
 * The job gets a real context: `ctx.output`, `ctx.log`, `ctx.signal` behave as in a worker,
 * and its result is checked the same way (a result that is not JSON, or over the 1 MiB frame
 * limit, fails the job here too).
 *
 * @param {{ prewarm?: Function, job: Function }} definition what is given to `run`
 * @param {object} [payload] the job's payload
 * @param {object} [settings]
 * @param {object} [settings.options] prewarm's options (default `{}`)
 * @param {unknown} [settings.state] prewarm's result: when given, prewarm is not run
 * @param {AbortSignal} [settings.signal] aborting it cancels the job, as a client's cancel does
 * @param {number} [settings.graceMs] the grace a cancel announces (default 5000)
 * @param {string | number} [settings.jobId] the job's id (default `"test-job"`)
 * @param {(data: unknown, index: number) => void} [settings.onOutput] called on each output
 * @param {(record: object) => void} [settings.onLog] called on each log record
 * @returns {Promise<import('./testing.js').JobOutcome>} never rejects for the job's own failure
 */
export async function runJob(definition, payload = {}, settings = {}) {
  if (definition === null || typeof definition !== 'object' || typeof definition.job !== 'function') {
    throw new TypeError('runJob() takes the object given to run(): { prewarm?, job }');
  }
  const { signal, onOutput, onLog, graceMs = 5000, jobId = 'test-job' } = settings;
  const options = settings.options ?? {};
  const logs = [];
  const outputs = [];
  const sink = (record) => {
    const entry = withoutType(record);
    logs.push(entry);
    onLog?.(entry);
  };

  let state = settings.state;
  if (!Object.hasOwn(settings, 'state')) {
    const prewarmed = await prewarm(definition, options);
    state = prewarmed.state;
    logs.push(...prewarmed.logs);
  }

  const ctx = new JobContext({
    jobId,
    state,
    options,
    emit: (_frame, data) => {
      // a copy through JSON, as the client would receive it
      const received = data === undefined ? null : JSON.parse(JSON.stringify(data));
      outputs.push(received);
      onOutput?.(received, outputs.length - 1);
    },
    sink,
  });
  let cancelled = false;
  const cancel = () => {
    cancelled = true;
    ctx.abort(new JobCancelledError('cancel', `job ${jobId} was cancelled; the process is shut down in ${graceMs} ms`, graceMs));
  };
  if (signal?.aborted) {
    cancel();
  } else {
    signal?.addEventListener('abort', cancel, { once: true });
  }

  const ending = await executeJob(definition.job, payload, ctx);
  ctx.ended = true;
  signal?.removeEventListener('abort', cancel);
  return ending.ok
    ? { ok: true, result: JSON.parse(JSON.stringify(ending.result)), outputs, logs, cancelled }
    : { ok: false, error: ending.error, errorText: ending.errorText, outputs, logs, cancelled };
}

function withoutType({ type, ...rest }) {
  return rest;
}
