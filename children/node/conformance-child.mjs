// The Node conformance child: a job written with warmpool-child that implements every payload
// op of children/conformance/README.md. The project's harness runs it through a real worker as
//   ["node", "children/node/conformance-child.mjs"]   (from the repository root)
// without an `npm install`, which is why it imports the SDK by relative path; a user's job
// imports 'warmpool-child' instead.
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { run } from './index.js';

const ops = {
  echo: ({ value }) => ({ value }),

  outputs: ({ count }, ctx) => {
    for (let i = 0; i < count; i++) {
      ctx.output({ i });
    }
    return { count };
  },

  fail: ({ message }) => {
    throw new Error(message);
  },

  // an await, not a busy loop: the event loop stays free to answer pings
  sleep: async ({ ms }) => {
    await sleep(ms);
    return { slept: ms };
  },

  log: ({ message }, ctx) => {
    ctx.log.info(message);
    return { logged: message };
  },

  'wait-cancel': async ({ marker }, ctx) => {
    await new Promise((resolve) => ctx.onCancel(resolve));
    await writeFile(marker, '');
    return { marker };
  },

  options: (payload, ctx) => ctx.state.options,

  env: ({ name }) => ({ value: process.env[name] ?? null }),
};

run({
  prewarm(options) {
    return { options };
  },

  job(payload, ctx) {
    const op = ops[payload.op];
    if (op === undefined) {
      throw new TypeError(`unknown op ${JSON.stringify(payload.op)} (${Object.keys(ops).join(', ')})`);
    }
    return op(payload, ctx);
  },
});
