// The job's own tests: run in-process with warmpool-child/testing, no worker needed.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { prewarm, runJob } from 'warmpool-child/testing';
import definition, { primesUpTo } from '../job.mjs';

const options = { maxPrime: 1000 };
let state;

before(async () => {
  // prewarm once, as a warm process does, and give its state to every job
  const prewarmed = await prewarm(definition, options);
  state = prewarmed.state;
  assert.deepEqual(prewarmed.logs[0].fields.primes, 168);
});

test('the prime table', () => {
  assert.deepEqual(primesUpTo(20), [2, 3, 5, 7, 11, 13, 17, 19]);
});

test('prewarm reports the table in a log record', async () => {
  const outcome = await runJob(definition, { numbers: [4] }, { options });
  const [record] = outcome.logs;
  assert.equal(record.level, 'info');
  assert.equal(record.message, 'prime table built');
  assert.equal(record.fields.largest, 997);
  assert.equal(record.jobId, undefined, 'prewarm runs before any job');
});

test('streams one output per number, then the summary', async () => {
  const outcome = await runJob(definition, { numbers: [12, 97, 994_009] }, { state });
  assert.equal(outcome.ok, true);
  assert.deepEqual(outcome.outputs, [
    { index: 0, number: 12, factors: [2, 2, 3], prime: false },
    { index: 1, number: 97, factors: [97], prime: true },
    { index: 2, number: 994_009, factors: [997, 997], prime: false },
  ]);
  assert.deepEqual(outcome.result, { done: 3, primesKnown: 168 });
  assert.deepEqual(outcome.logs.map((r) => [r.level, r.message, r.jobId]), [['info', 'factorising', 'test-job']]);
});

test('stops when cancelled, without waiting out its delay', { timeout: 3000 }, async () => {
  const controller = new AbortController();
  const outcome = await runJob(definition, { numbers: [10, 11, 12, 13, 14], delayMs: 10_000 }, {
    state,
    signal: controller.signal,
    // the cancel comes while the job waits after its first number: the wait ends at once
    onOutput: () => setTimeout(() => controller.abort(), 20),
  });
  assert.equal(outcome.cancelled, true);
  assert.deepEqual(outcome.result, { done: 1, cancelled: true });
  assert.equal(outcome.outputs.length, 1);
  assert.equal(outcome.logs.at(-1).message, 'cancelled');
});

test('a bad payload fails the job with a message the client can act on', async () => {
  const outcome = await runJob(definition, { numbers: [12, 'x'] }, { state });
  assert.equal(outcome.ok, false);
  assert.equal(outcome.errorText, 'TypeError: payload.numbers[1] must be an integer >= 2, not "x"');
  const tooLarge = await runJob(definition, { numbers: [2_000_000] }, { state });
  assert.match(tooLarge.errorText, /^RangeError: .*\(raise child\.options\.maxPrime\)$/);
});
