// The child runtime against a fake worker: a real child process, a real socket, every frame
// checked as the worker would see it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, describe, test } from 'node:test';
import { FakeWorker, FIXTURE } from '../test-support/fake-worker.js';
import { MAX_FRAME_BYTES, VERSION } from '../index.js';

const BOUNDED = { timeout: 8000 };
let worker;

/** A child that has said hello and is ready, with `options` given to its prewarm. */
async function readyChild(options = { size: 3 }, settings = {}) {
  worker = await FakeWorker.start(settings);
  const first = await worker.initialize(options);
  const ready = first.type === 'log' ? await worker.next('ready') : first;
  assert.equal(ready.type, 'ready');
  return worker;
}

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

describe('handshake and prewarm', () => {
  test('hello carries the token, the pid and the runtime', BOUNDED, async () => {
    await readyChild();
    assert.equal(worker.hello.token, 'secret-token');
    assert.equal(worker.hello.pid, worker.child.pid);
    assert.match(worker.hello.runtime, new RegExp(`^node v\\d+\\.\\d+\\.\\d+ warmpool-child ${VERSION.replaceAll('.', '\\.')}$`));
  });

  test('the version reported is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    assert.equal(VERSION, pkg.version);
  });

  test('prewarm gets the options; what it returns is ctx.state', BOUNDED, async () => {
    worker = await FakeWorker.start();
    worker.next('hello');
    worker.send({ type: 'initialize', entrypoint: 'ignored', options: { model: 'tiny', size: 3 } });
    const record = await worker.next('log');
    assert.deepEqual(record, { type: 'log', level: 'info', message: 'prewarmed', fields: { keys: ['model', 'size'] } });
    assert.equal('jobId' in record, false, 'a record made outside a job has no jobId');
    await worker.next('ready');
    await worker.startJob('j1', { op: 'state' });
    assert.deepEqual(await worker.next('done'), { type: 'done', jobId: 'j1', result: { prewarmedWith: { model: 'tiny', size: 3 } } });
  });

  test('a prewarm that throws sends initFailed with "Name: message" and exits 1', BOUNDED, async () => {
    worker = await FakeWorker.start();
    const answer = await worker.initialize({ failPrewarm: 'no weights' });
    assert.deepEqual(answer, { type: 'initFailed', error: 'TypeError: cannot prewarm: no weights' });
    assert.equal((await worker.exit()).code, 1);
  });

  test('pings are answered while prewarm awaits', BOUNDED, async () => {
    worker = await FakeWorker.start();
    await worker.next('hello');
    worker.send({ type: 'initialize', entrypoint: '', options: { prewarmMs: 500 } });
    worker.send({ type: 'ping', seq: 1 });
    assert.deepEqual(await worker.next(), { type: 'pong', seq: 1 });
    await worker.next('ready', { skip: ['log'] });
  });

  test('shutdown during prewarm: only exiting follows, exit 0', BOUNDED, async () => {
    worker = await FakeWorker.start();
    await worker.next('hello');
    worker.send({ type: 'initialize', entrypoint: '', options: { prewarmMs: 300 } });
    worker.send({ type: 'shutdown', reason: 'draining' });
    assert.deepEqual(await worker.next(), { type: 'exiting', reason: 'shutdown' });
    assert.equal((await worker.exit()).code, 0);
    assert.deepEqual(worker.pending.filter((m) => m.type !== '<closed>'), []);
  });
});

describe('jobs', () => {
  test('start: started, outputs in order, then done; the child is idle again', BOUNDED, async () => {
    await readyChild();
    await worker.startJob('j1', { op: 'outputs', count: 3 });
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(await worker.next(), { type: 'output', jobId: 'j1', data: { i } });
    }
    assert.deepEqual(await worker.next(), { type: 'done', jobId: 'j1', result: { count: 3 } });
    // a numeric job id is echoed as a number
    await worker.startJob(7, { op: 'echo', value: [1, 'two'] });
    assert.deepEqual(await worker.next(), { type: 'done', jobId: 7, result: { value: [1, 'two'] } });
  });

  test('a thrown error fails the job with "Name: message" and the child goes on', BOUNDED, async () => {
    await readyChild();
    await worker.startJob('j1', { op: 'fail', message: 'boom-42' });
    assert.deepEqual(await worker.next(), { type: 'failed', jobId: 'j1', error: 'RangeError: boom-42' });
    await worker.startJob('j2', { op: 'echo', value: 1 });
    assert.deepEqual(await worker.next(), { type: 'done', jobId: 'j2', result: { value: 1 } });
  });

  test('pings are answered while a job awaits', BOUNDED, async () => {
    await readyChild();
    await worker.startJob('j1', { op: 'sleep', ms: 600 });
    for (let seq = 1; seq <= 3; seq++) {
      worker.send({ type: 'ping', seq });
      assert.deepEqual(await worker.next(), { type: 'pong', seq });
    }
    assert.deepEqual(await worker.next('done', { timeoutMs: 3000 }), { type: 'done', jobId: 'j1', result: { slept: 600 } });
  });

  test('cancel aborts the signal with the grace; a cancel of another job is ignored', BOUNDED, async () => {
    await readyChild();
    await worker.startJob('j1', { op: 'wait-cancel' });
    worker.send({ type: 'cancel', jobId: 'other', graceMs: 10 });
    worker.send({ type: 'cancel', jobId: 1, graceMs: 10 }); // not "j1": ids keep their JSON type
    worker.send({ type: 'ping', seq: 9 });
    assert.deepEqual(await worker.next(), { type: 'pong', seq: 9 }, 'the job must still wait');
    worker.send({ type: 'cancel', jobId: 'j1', graceMs: 2500 });
    assert.deepEqual(await worker.next(), {
      type: 'done', jobId: 'j1', result: { trigger: 'cancel', graceMs: 2500, cancelled: true, aborted: true },
    });
  });

  test('shutdown while a job runs aborts it; its ending comes before exiting', BOUNDED, async () => {
    await readyChild();
    await worker.startJob('j1', { op: 'wait-cancel' });
    worker.send({ type: 'shutdown', reason: 'draining' });
    const ending = await worker.next();
    assert.equal(ending.type, 'done');
    assert.equal(ending.result.trigger, 'shutdown');
    assert.deepEqual(await worker.next(), { type: 'exiting', reason: 'shutdown' });
    assert.equal((await worker.exit()).code, 0);
  });

  test('log records carry level, message, fields and the job id, also from module code', BOUNDED, async () => {
    await readyChild();
    await worker.startJob('j1', { op: 'log', message: 'hello from the job' });
    assert.deepEqual(await worker.next(), { type: 'log', level: 'info', message: 'hello from the job', fields: { rows: 3 }, jobId: 'j1' });
    assert.deepEqual(await worker.next(), { type: 'log', level: 'warn', message: 'from a helper', fields: { rows: 7 }, jobId: 'j1' });
    assert.deepEqual(await worker.next(), { type: 'done', jobId: 'j1', result: null });
  });

  test('a result over 1 MiB fails the job and the channel goes on', BOUNDED, async () => {
    await readyChild();
    await worker.startJob('j1', { op: 'big-result', bytes: MAX_FRAME_BYTES });
    const failed = await worker.next();
    assert.equal(failed.type, 'failed');
    assert.match(failed.error, /^RangeError: the job's result is 1\.00 MiB .* over the protocol's frame limit of 1 MiB/);
    await worker.startJob('j2', { op: 'echo', value: 'after' });
    assert.deepEqual(await worker.next(), { type: 'done', jobId: 'j2', result: { value: 'after' } });
  });

  test('an output over 1 MiB throws in the job, which then fails; nothing oversize is sent', BOUNDED, async () => {
    await readyChild();
    await worker.startJob('j1', { op: 'big-output', bytes: MAX_FRAME_BYTES });
    const failed = await worker.next();
    assert.equal(failed.type, 'failed');
    assert.match(failed.error, /^RangeError: an output is .* over the protocol's frame limit/);
  });

  test('a result that is not JSON fails the job naming where', BOUNDED, async () => {
    await readyChild();
    await worker.startJob('j1', { op: 'bigint' });
    assert.deepEqual(await worker.next(), {
      type: 'failed', jobId: 'j1',
      error: "TypeError: the job's result is not JSON: a BigInt at $.rows[1].id (convert it to a string or a Number)",
    });
  });

  test('an uncaught exception fails the running job, then the child exits 1', BOUNDED, async () => {
    await readyChild();
    await worker.startJob('j1', { op: 'uncaught' });
    assert.deepEqual(await worker.next(), { type: 'failed', jobId: 'j1', error: 'Error: thrown from a timer' });
    assert.deepEqual(await worker.next(), { type: 'exiting', reason: 'uncaught exception: Error: thrown from a timer' });
    assert.equal((await worker.exit()).code, 1);
  });

  test('after a job ended, its outputs are dropped and its records no longer name it', BOUNDED, async () => {
    await readyChild();
    await worker.startJob('j1', { op: 'late' });
    assert.deepEqual(await worker.next(), { type: 'done', jobId: 'j1', result: 'ended' });
    // the worker treats a frame naming a job that does not run as a protocol error
    assert.deepEqual(await worker.next(), { type: 'log', level: 'info', message: 'late record', fields: { endedJobId: 'j1' } });
    worker.send({ type: 'ping', seq: 3 });
    assert.deepEqual(await worker.next(), { type: 'pong', seq: 3 }, 'no output frame came before it');
  });

  test('the child environment reaches the job', BOUNDED, async () => {
    await readyChild({}, { env: { MY_SETTING: 'on' } });
    await worker.startJob('j1', { op: 'env', name: 'MY_SETTING' });
    assert.deepEqual(await worker.next(), { type: 'done', jobId: 'j1', result: { value: 'on' } });
  });
});

describe('protocol rules', () => {
  test('an unknown message type is ignored', BOUNDED, async () => {
    await readyChild();
    worker.send({ type: 'fly', to: 'the moon' });
    worker.send({ type: 'ping', seq: 5 });
    assert.deepEqual(await worker.next(), { type: 'pong', seq: 5 });
    assert.match(worker.stderr, /unknown type "fly"/);
  });

  for (const [name, frame] of [
    ['ping.seq not an integer', { type: 'ping', seq: 'one' }],
    ['start without payload', { type: 'start', jobId: 'j1' }],
    ['cancel.graceMs a fraction', { type: 'cancel', jobId: 'j1', graceMs: 1.5 }],
    ['shutdown.reason missing', { type: 'shutdown' }],
  ]) {
    test(`a known type with a bad field is a protocol error, exit 3: ${name}`, BOUNDED, async () => {
      await readyChild();
      worker.send(frame);
      const exiting = await worker.next();
      assert.equal(exiting.type, 'exiting');
      assert.match(exiting.reason, /^protocol-error: /);
      assert.equal((await worker.exit()).code, 3);
    });
  }

  test('start while a job runs is a protocol error', BOUNDED, async () => {
    await readyChild();
    await worker.startJob('j1', { op: 'sleep', ms: 2000 });
    worker.send({ type: 'start', jobId: 'j2', payload: {} });
    assert.deepEqual(await worker.next(), { type: 'exiting', reason: 'protocol-error: start of job "j2" while job "j1" runs' });
    assert.equal((await worker.exit()).code, 3);
  });

  test('a frame that is not a JSON object is a protocol error', BOUNDED, async () => {
    await readyChild();
    worker.sendRaw('[1,2,3]\n');
    assert.match((await worker.next()).reason, /^protocol-error: a frame is not a JSON object/);
    assert.equal((await worker.exit()).code, 3);
  });

  test('an incoming frame over 1 MiB is a protocol error, even before its newline', BOUNDED, async () => {
    await readyChild();
    worker.sendRaw(`{"type":"ping","seq":1,"pad":"${'x'.repeat(MAX_FRAME_BYTES)}`);
    assert.match((await worker.next()).reason, /^protocol-error: a frame is longer than 1048576 bytes/);
    assert.equal((await worker.exit()).code, 3);
  });

  test('the channel closing ends the child at once, even during a job', BOUNDED, async () => {
    await readyChild();
    await worker.startJob('j1', { op: 'sleep', ms: 60_000 });
    worker.socket.destroy();
    assert.equal((await worker.exit(2000)).code, 4);
  });

  test('frames split across chunks and several per chunk', BOUNDED, async () => {
    await readyChild();
    // three frames in one write, the last one cut in the middle of a multi-byte character
    const start = `${JSON.stringify({ type: 'start', jobId: 'j1', payload: { op: 'echo', value: 'héllo ✓' } })}\n`;
    const bytes = Buffer.from(`${JSON.stringify({ type: 'ping', seq: 1 })}\n${JSON.stringify({ type: 'ping', seq: 2 })}\n${start}`);
    const cut = bytes.indexOf(Buffer.from('✓')) + 1;
    worker.socket.write(bytes.subarray(0, cut));
    assert.deepEqual(await worker.next(), { type: 'pong', seq: 1 });
    assert.deepEqual(await worker.next(), { type: 'pong', seq: 2 });
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the first piece arrive alone
    for (let i = cut; i < bytes.length; i++) {
      worker.socket.write(bytes.subarray(i, i + 1)); // the rest byte by byte
    }
    assert.deepEqual(await worker.next(), { type: 'started', jobId: 'j1' });
    assert.deepEqual(await worker.next(), { type: 'done', jobId: 'j1', result: { value: 'héllo ✓' } });
  });
});

describe('started by hand', () => {
  test('without WARMPOOL_IPC_PORT: a clear message and exit 2', BOUNDED, async () => {
    const env = { ...process.env };
    delete env.WARMPOOL_IPC_PORT;
    delete env.WARMPOOL_IPC_TOKEN;
    const child = spawn(process.execPath, [FIXTURE], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text) => { stderr += text; });
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(stderr, /WARMPOOL_IPC_PORT is not set\. This program is a warmpool child/);
  });

  test('no worker listening: exit 2 naming the address', BOUNDED, async () => {
    const env = { ...process.env, WARMPOOL_IPC_PORT: '1', WARMPOOL_IPC_TOKEN: 't' };
    const child = spawn(process.execPath, [FIXTURE], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text) => { stderr += text; });
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(stderr, /cannot reach the worker at 127\.0\.0\.1:1/);
  });
});
