// The cases of children/conformance/cases.json played against conformance-child.mjs by the
// fake worker: the child's half of each case (the worker's half is checked by the project's
// harness through a real worker).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { FakeWorker } from '../test-support/fake-worker.js';

const casesFile = new URL('../../conformance/cases.json', import.meta.url);
const script = fileURLToPath(new URL('../conformance-child.mjs', import.meta.url));
const table = existsSync(casesFile) ? JSON.parse(readFileSync(casesFile, 'utf8')) : null;
const scratch = mkdtempSync(join(tmpdir(), 'warmpool-conformance-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('conformance cases', { skip: table === null && 'children/conformance/cases.json is not beside this package' }, () => {
  const { config, cases } = table ?? { config: {}, cases: [] };
  for (const [index, testCase] of cases.entries()) {
    test(testCase.name, { timeout: 10_000 }, async () => {
      const marker = join(scratch, `marker-${index}`);
      const payload = JSON.parse(JSON.stringify(testCase.payload).replaceAll('"$MARKER"', JSON.stringify(marker)));
      const worker = await FakeWorker.start({ script, env: config.child.env });
      try {
        assert.deepEqual(await worker.initialize(config.child.options), { type: 'ready' });
        await worker.startJob('case', payload);
        const expect = testCase.expect;
        if (testCase.cancel) {
          worker.send({ type: 'cancel', jobId: 'case', graceMs: config.job.cancelGraceMs });
          await worker.next('done', { timeoutMs: config.job.cancelGraceMs });
          assert.equal(existsSync(marker), expect.marker);
          return;
        }
        // a long job must keep answering pings, as the worker's pool settings demand
        const pinger = setInterval(() => worker.send({ type: 'ping', seq: 1 }), config.pool.pingIntervalMs);
        const seen = { outputs: [], logs: [] };
        let ending;
        try {
          for (;;) {
            const message = await worker.next(undefined, { timeoutMs: config.pool.pingTimeoutMs + 3000 });
            if (message.type === 'output') seen.outputs.push(message.data);
            else if (message.type === 'log') seen.logs.push({ level: message.level, message: message.message });
            else if (message.type !== 'pong') { ending = message; break; }
          }
        } finally {
          clearInterval(pinger);
        }
        if (expect.event === 'completed') {
          assert.equal(ending.type, 'done', JSON.stringify(ending));
          if ('result' in expect) assert.deepEqual(ending.result, expect.result);
        } else {
          assert.equal(expect.event, 'failed');
          assert.equal(ending.type, 'failed');
          assert.ok(ending.error.includes(expect.detailContains), ending.error);
        }
        if (expect.outputs) assert.deepEqual(seen.outputs, expect.outputs);
        if (expect.logs) assert.deepEqual(seen.logs, expect.logs);
      } finally {
        await worker.stop();
      }
    });
  }
});
