// A child for the package's tests, written with the SDK as a user would (imported by relative
// path so the tests need no npm install). Each payload op exercises one part of the runtime.
import { setTimeout as sleep } from 'node:timers/promises';
import { log, run } from '../index.js';

// module-level code that logs without being handed the context: the record must still carry
// the running job's id (AsyncLocalStorage)
async function deepHelper(rows) {
  await sleep(1);
  log.warn('from a helper', { rows });
}

run({
  async prewarm(options) {
    if (options.prewarmMs) {
      await sleep(options.prewarmMs);
    }
    if (options.failPrewarm) {
      throw new TypeError(`cannot prewarm: ${options.failPrewarm}`);
    }
    log.info('prewarmed', { keys: Object.keys(options) });
    return { prewarmedWith: options };
  },

  async job(payload, ctx) {
    switch (payload.op) {
      case 'echo':
        return { value: payload.value };
      case 'outputs':
        for (let i = 0; i < payload.count; i++) {
          ctx.output({ i });
        }
        return { count: payload.count };
      case 'fail':
        throw new RangeError(payload.message);
      case 'sleep':
        await sleep(payload.ms);
        return { slept: payload.ms };
      case 'log':
        ctx.log.info(payload.message, { rows: 3 });
        await deepHelper(7);
        return null;
      case 'wait-cancel': {
        const reason = await new Promise((resolve) => ctx.onCancel(resolve));
        return { trigger: reason.trigger, graceMs: reason.graceMs, cancelled: ctx.cancelled, aborted: ctx.signal.aborted };
      }
      case 'state':
        return ctx.state;
      case 'big-result':
        return { text: 'x'.repeat(payload.bytes) };
      case 'big-output':
        ctx.output({ text: 'x'.repeat(payload.bytes) });
        return 'unreachable';
      case 'bigint':
        return { rows: [{ id: 1 }, { id: 2n }] };
      case 'uncaught':
        setTimeout(() => { throw new Error('thrown from a timer'); }, 1);
        await sleep(2000);
        return 'unreachable';
      case 'late':
        // a timer the job leaves behind: it outlives the job
        setTimeout(() => {
          ctx.output({ late: true });
          log.info('late record');
        }, 50);
        return 'ended';
      case 'env':
        return { value: process.env[payload.name] ?? null };
      default:
        throw new Error(`unknown op ${JSON.stringify(payload.op)}`);
    }
  },
});
