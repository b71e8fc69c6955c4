// Starts and stops a real worker (java -jar target/warmpool.jar) for the browser tests, and
// launches Debian's chromium through playwright-core. Not a test file itself.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const TARGET = path.join(ROOT, 'target');
export const JAR = path.join(TARGET, 'warmpool.jar');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const started = new Set();

/** A port nobody listens on right now. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A worker on 127.0.0.1:port in its own process group (so its children can be ended with it),
 * with its output in target/browser-worker-<port>.log. Resolves once GET /health answers 200.
 */
export async function startWorker({ port, env = {}, name = 'worker' }) {
  if (!existsSync(JAR)) {
    throw new Error(`${JAR} is missing: build it first (make build)`);
  }
  const log = path.join(TARGET, `browser-${name}-${port}.log`);
  const out = createWriteStream(log, { flags: 'a' });
  const child = spawn('java', ['-jar', JAR], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      WARMPOOL_WEB_HOST: '127.0.0.1',
      WARMPOOL_WEB_PORT: String(port),
      // load from running jobs, not from the CPU that other work on this machine is using
      WARMPOOL_LOAD_SOURCE: 'jobs',
      WARMPOOL_LOAD_MAXJOBS: '8',
      WARMPOOL_POOL_MAXIDLE: '2',
      ...env,
    },
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (err) => resolve({ error: err.message }));   // java could not be started
  });
  const worker = { port, child, exited, log, url: `http://127.0.0.1:${port}` };
  started.add(worker);
  exited.then(() => started.delete(worker));

  const deadline = Date.now() + 90_000;
  let gone = null;
  exited.then((e) => { gone = e; });
  for (;;) {
    if (gone) {
      throw new Error(`the worker exited (${JSON.stringify(gone)}) before it was healthy:\n${tail(log)}`);
    }
    try {
      const res = await fetch(`${worker.url}/health`);
      if (res.status === 200) {
        return worker;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopWorker(worker);
      throw new Error(`the worker was not healthy after 90 s:\n${tail(log)}`);
    }
    await sleep(200);
  }
}

/** SIGTERM (the worker drains and closes its processes), then SIGKILL of the whole group if it lingers. */
export async function stopWorker(worker, graceMs = 20_000) {
  if (!started.has(worker)) {
    return worker.exited;
  }
  signal(worker, 'SIGTERM', false);
  const result = await Promise.race([worker.exited, sleep(graceMs).then(() => null)]);
  // whatever is left of the group (a child that did not notice its parent went) ends here
  signal(worker, 'SIGKILL', true);
  return result ?? worker.exited;
}

function signal(worker, sig, group) {
  try {
    process.kill(group ? -worker.child.pid : worker.child.pid, sig);
  } catch {
    // already gone
  }
}

// a test that throws or is interrupted still leaves no worker behind
process.on('exit', () => {
  for (const worker of started) {
    signal(worker, 'SIGKILL', true);
  }
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => process.exit(128 + (sig === 'SIGINT' ? 2 : 15)));
}

export function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Headless chromium with a fresh profile; close() removes the profile. */
export async function launchBrowser() {
  const profile = mkdtempSync(path.join(tmpdir(), 'warmpool-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A new page whose console errors, page errors and failed requests are collected. */
export async function watchedPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      problems.push(`console: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400) {
      problems.push(`HTTP ${res.status()}: ${res.url()}`);
    }
  });
  return { page, problems };
}
