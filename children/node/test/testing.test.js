// warmpool-child/testing: a job run in-process behaves as in a worker.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { log } from 'warmpool-child';
import { prewarm, runJob } from 'warmpool-child/testing';

let prewarms = 0;
const definition = {
  async prewarm(options) {
    prewarms++;
    log.info('table built', { size: options.size });
    return { squares: Array.from({ length: options.size }, (_, i) => i * i) };
  },
  async job(payload, ctx) {
    ctx.log.debug('starting', { n: payload.n });
    for (let i = 0; i < payload.n; i++) {
      ctx.throwIfCancelled();
      ctx.output({ i, square: ctx.state.squares[i] });
      await sleep(payload.delayMs ?? 0, undefined, { signal: ctx.signal }).catch(() => {});
    }
    if (payload.fail) {
      throw new Error(payload.fail, { cause: new SyntaxError('root cause') });
    }
    return { sum: ctx.state.squares.slice(0, payload.n).reduce((a, b) => a + b, 0), when: payload.when };
  },
};

test('runJob runs prewarm with the options, then the job; gives result, outputs, logs', async () => {
  const outcome = await runJob(definition, { n: 3 }, { options: { size: 5 } });
  assert.equal(outcome.ok, true);
  assert.deepEqual(outcome.result, { sum: 5 });
  assert.deepEqual(outcome.outputs, [{ i: 0, square: 0 }, { i: 1, square: 1 }, { i: 2, square: 4 }]);
  assert.deepEqual(outcome.logs, [
    { level: 'info', message: 'table built', fields: { size: 5 } },
    { level: 'debug', message: 'starting', fields: { n: 3 }, jobId: 'test-job' },
  ]);
  assert.equal(outcome.cancelled, false);
});

test('prewarm once, many jobs with its state', async () => {
  const before = prewarms;
  const { state, logs } = await prewarm(definition, { size: 4 });
  assert.equal(logs.length, 1);
  for (const n of [1, 2, 3]) {
    const outcome = await runJob(definition, { n }, { state, jobId: n });
    assert.equal(outcome.ok, true);
    assert.equal(outcome.logs[0].jobId, n);
  }
  assert.equal(prewarms, before + 1);
});

test('a thrown error: ok false, the error and the text the worker would send', async () => {
  const outcome = await runJob(definition, { n: 1, fail: 'bad input' }, { options: { size: 2 } });
  assert.equal(outcome.ok, false);
  assert.equal(outcome.error.message, 'bad input');
  assert.equal(outcome.errorText, 'Error: bad input (caused by SyntaxError: root cause)');
  assert.deepEqual(outcome.outputs, [{ i: 0, square: 0 }]);
});

test('cancel through an AbortSignal, here after the first output', async () => {
  const controller = new AbortController();
  const outcome = await runJob(definition, { n: 100, delayMs: 1000 }, {
    options: { size: 100 },
    signal: controller.signal,
    onOutput: () => controller.abort(),
  });
  assert.equal(outcome.cancelled, true);
  assert.equal(outcome.ok, false);
  assert.equal(outcome.error.name, 'JobCancelledError');
  assert.equal(outcome.error.trigger, 'cancel');
  assert.equal(outcome.outputs.length, 1);
});

test('a result that is not JSON fails as in a worker', async () => {
  for (const [result, expected] of [
    [{ n: 1n }, /a BigInt at \$\.n/],
    [{ f() {} }, /a function at \$\.f/],
    [{ m: new Map() }, /a Map at \$\.m/],
    [[1, undefined], /undefined at \$\[1\]/],
    [{ x: NaN }, /NaN at \$\.x/],
    [(() => { const o = {}; o.self = o; return o; })(), /holds a cycle/],
  ]) {
    const outcome = await runJob({ job: () => result });
    assert.equal(outcome.ok, false, `${expected} should fail`);
    assert.match(outcome.errorText, expected);
    assert.match(outcome.errorText, /^TypeError: the job's result is not JSON: /);
  }
});

test('JSON-friendly values pass: toJSON, undefined properties, undefined result', async () => {
  const when = new Date(0);
  assert.deepEqual((await runJob({ job: () => ({ when, gone: undefined }) })).result, { when: '1970-01-01T00:00:00.000Z' });
  assert.equal((await runJob({ job: () => {} })).result, null);
});

test('log fields that are not JSON are described, never thrown', async () => {
  const outcome = await runJob({
    job(payload, ctx) {
      ctx.log.error('failed once', { error: new TypeError('nope'), big: 12n });
      const cyclic = {};
      cyclic.me = cyclic;
      ctx.log.warn('cyclic', cyclic);
      return 'ok';
    },
  });
  assert.equal(outcome.result, 'ok');
  assert.deepEqual(outcome.logs[0].fields, { error: 'TypeError: nope', big: '12' });
  assert.match(outcome.logs[1].fields.fieldsError, /circular/i);
});

test('runJob refuses what is not a job definition', async () => {
  await assert.rejects(runJob(() => 1), /takes the object given to run\(\)/);
});
