/**
 * Runs one job and turns its ending into the frame the worker expects. Shared by the child
 * runtime and `warmpool-child/testing`, so a unit test fails a job exactly where the worker
 * would (a result that is not JSON, or too large). Internal to warmpool-child.
 * @module
 */
import { scope } from './context.js';
import { errorText, frameWith, toJsonText } from './frames.js';

/**
 * @typedef {{ ok: true, result: unknown, frame: string }
 *   | { ok: false, error: unknown, errorText: string, frame: string }} Ending
 */

/**
 * Calls `job(payload, ctx)` inside the job's async scope and waits for it.
 * @param {(payload: object, ctx: import('./context.js').JobContext) => unknown} job
 * @param {object} payload
 * @param {import('./context.js').JobContext} ctx
 * @returns {Promise<Ending>} never rejects
 */
export async function executeJob(job, payload, ctx) {
  let result;
  try {
    result = await scope.run({ job: ctx, sink: ctx.sink }, () => job(payload, ctx));
  } catch (error) {
    return failure(ctx, error);
  }
  // `done` needs a result; a job that returns nothing completes with null
  const value = result === undefined ? null : result;
  try {
    const text = toJsonText(value, "the job's result");
    return { ok: true, result: value, frame: frameWith({ type: 'done', jobId: ctx.jobId }, 'result', text, "the job's result") };
  } catch (error) {
    return failure(ctx, error);
  }
}

function failure(ctx, error) {
  const text = errorText(error);
  return { ok: false, error, errorText: text, frame: JSON.stringify({ type: 'failed', jobId: ctx.jobId, error: text }) };
}
