// The dashboard at GET / in a real browser: Debian's chromium, driven by playwright-core,
// against a real worker started from target/warmpool.jar. Run by `make browser-test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { freePort, startWorker, stopWorker, launchBrowser, watchedPage, tail, TARGET } from './worker.mjs';

const WAIT = { timeout: 60_000 };

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

async function workerInfo(worker, token) {
  const res = await fetch(`${worker.url}/worker`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  assert.equal(res.status, 200);
  return res.json();
}

/** How many pixels of the chart's canvas are drawn in colour (axes and grid are grey). */
async function colouredPixels(page, selector) {
  return page.$eval(`${selector} canvas`, (canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 40) {
        n++;
      }
    }
    return n;
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The page's polls of GET /worker (the cluster panel's source), as they are sent. */
function watchPolls(page) {
  const polls = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname === '/worker') {
      polls.push(req);
    }
  });
  return polls;
}

async function until(what, condition, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(100);
  }
}

async function submitFromForm(page, op, params, count = 1) {
  await page.selectOption('#job-op', op);
  for (const [name, value] of Object.entries(params)) {
    await page.fill(`#job-params input[name="${name}"]`, String(value));
  }
  await page.fill('#job-count', String(count));
  await page.click('#job-submit');
}

test('the dashboard shows the worker, runs a job from its form, and reconnects after a restart', { timeout: 300_000 }, async (t) => {
  const port = await freePort();
  let worker = await startWorker({ port });
  const { page, problems } = await watchedPage(browser.context);
  const polls = watchPolls(page);
  try {
    const answer = await page.goto(`${worker.url}/`);
    // the page runs under its content security policy: a script or style it broke would show
    // as a console error, which fails the test below
    assert.match(answer.headers()['content-security-policy'], /default-src 'self'.*frame-ancestors 'none'/);

    // the status badge says what GET /worker says
    await page.waitForSelector('#status[data-status="available"], #status[data-status="full"], #status[data-status="draining"]', WAIT);
    const info = await workerInfo(worker);
    assert.equal(await page.textContent('#status'), info.status);
    assert.equal(await page.getAttribute('#connection', 'data-state'), 'connected');

    // a job submitted from the form appears in the table and completes
    await submitFromForm(page, 'echo', { value: 'from the browser test' });
    const row = page.locator('#jobs tbody tr').first();
    await row.locator('[data-outcome="completed"]').waitFor(WAIT);
    assert.equal(await row.locator('td.op').textContent(), 'echo value="from the browser test"');
    assert.match(await row.locator('td.detail').textContent(), /from the browser test/);
    // the pool's own start latency arrives with the job's record
    await page.waitForFunction(() => /\d/.test(document.querySelector('#jobs tbody tr td.latency')?.textContent ?? ''), null, WAIT);

    // load, so the charts have something to show: four jobs, then a burst of six that takes
    // the worker near full (load.maxJobs 8, threshold 0.75): how many of it are accepted
    // depends on what the pool has learnt a job weighs, so it is not asserted
    await submitFromForm(page, 'sleep', { ms: 2000 }, 4);
    await page.waitForFunction(() => document.querySelectorAll('#jobs tbody [data-outcome="completed"]').length === 5, null, WAIT);
    // a job whose process dies fails with its reason
    await submitFromForm(page, 'crash', { code: 3 });
    await page.locator('#jobs tbody tr').first().locator('[data-outcome="failed"]').waitFor(WAIT);
    assert.equal(await page.locator('#jobs tbody tr').first().locator('td.outcome').textContent(), 'failed: crashed');
    await page.waitForTimeout(2000);
    await submitFromForm(page, 'sleep', { ms: 3000 }, 6);
    await page.waitForFunction(() => document.querySelectorAll('#jobs tbody [data-outcome="running"], #jobs tbody [data-outcome="waiting"], #jobs tbody [data-outcome="submitting"]').length === 0, null, WAIT);
    await page.waitForTimeout(3000);

    // the process chart has drawn data
    const points = Number(await page.getAttribute('#chart-processes', 'data-points'));
    assert.ok(points > 0, `the process chart has ${points} samples`);
    const drawn = await colouredPixels(page, '#chart-processes');
    assert.ok(drawn > 500, `the process chart has ${drawn} coloured pixels`);
    assert.ok(Number(await page.getAttribute('#chart-latency', 'data-points')) >= 6, 'a start latency per job');

    // a standalone worker: GET /worker has no cluster section, so there is no cluster panel
    assert.ok(polls.length >= 2, `the page polled GET /worker (${polls.length} times)`);
    assert.equal('cluster' in info, false);
    assert.equal(await page.isHidden('#cluster'), true, 'no cluster panel');

    await page.screenshot({ path: path.join(TARGET, 'dashboard.png'), fullPage: true });
    assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');

    // the worker goes away: the page says so and keeps trying
    await stopWorker(worker);
    await page.waitForSelector('#banner[data-kind="disconnected"]', WAIT);
    assert.match(await page.textContent('#banner'), /reconnecting/);
    assert.equal(await page.textContent('#status'), 'offline');
    // and stops polling GET /worker until it is connected again (one poll may have been on its way)
    await sleep(300);
    const pollsWhenDown = polls.length;
    await sleep(3000);
    assert.equal(polls.length, pollsWhenDown, 'no GET /worker while disconnected');

    // it comes back on the same port: the page reconnects by itself and says so
    worker = await startWorker({ port, name: 'restarted' });
    await page.waitForSelector('#banner[data-kind="reconnected"]', WAIT);
    await page.waitForSelector('#status[data-status="available"]', WAIT);
    assert.equal(await page.getAttribute('#connection', 'data-state'), 'connected');
    await until('a GET /worker after the reconnect', () => polls.length > pollsWhenDown);
    await submitFromForm(page, 'echo', { value: 'after the restart' });
    await page.locator('#jobs tbody tr').first().locator('[data-outcome="completed"]').waitFor(WAIT);
  } catch (err) {
    t.diagnostic(`worker log:\n${tail(worker.log)}`);
    await page.screenshot({ path: path.join(TARGET, 'dashboard-failure.png'), fullPage: true }).catch(() => {});
    throw err;
  } finally {
    await page.close();
    await stopWorker(worker);
  }
});

test('with web.token set the page needs the token, takes it from its URL or a form, and never stores it', { timeout: 180_000 }, async (t) => {
  const token = `t-${crypto.randomUUID()}`;   // web.token needs 16 characters or more
  const worker = await startWorker({ port: await freePort(), env: { WARMPOOL_WEB_TOKEN: token }, name: 'token' });
  const { page, problems } = await watchedPage(browser.context);
  const polls = watchPolls(page);
  try {
    // without the token: a clear message and a form, no data
    await page.goto(`${worker.url}/`);
    await page.waitForSelector('#auth:not([hidden])', WAIT);
    assert.match(await page.textContent('#banner'), /needs its token/);
    assert.equal(await page.getAttribute('#connection', 'data-state'), 'unauthorized');
    assert.equal(await page.textContent('#status'), 'offline');
    assert.equal(polls.length, 0, 'no GET /worker before the page is connected');

    // the token typed into the form
    await page.fill('#auth-token', token);
    await page.click('#auth button[type="submit"]');
    await page.waitForSelector('#status[data-status="available"]', WAIT);
    assert.equal(await page.textContent('#status'), (await workerInfo(worker, token)).status);
    assert.equal(await page.isHidden('#auth'), true);

    // the token in the page's URL, which the page then takes out of the address bar and history
    const pollsBefore = polls.length;
    await page.goto(`${worker.url}/?token=${encodeURIComponent(token)}#jobs`);
    await page.waitForSelector('#status[data-status="available"]', WAIT);
    assert.equal(page.url(), `${worker.url}/#jobs`);
    assert.equal(await page.evaluate(() => history.length > 0 && location.search), '');
    // its poll of GET /worker carries the token in its header, never in its URL
    await until('a GET /worker from the page', () => polls.length > pollsBefore);
    const poll = polls[polls.length - 1];
    assert.equal(poll.url(), `${worker.url}/worker`);
    assert.equal((await poll.allHeaders()).authorization, `Bearer ${token}`);
    assert.equal((await poll.response())?.status(), 200);
    await submitFromForm(page, 'echo', { value: 'with a token' });
    await page.locator('#jobs tbody tr').first().locator('[data-outcome="completed"]').waitFor(WAIT);

    // nothing kept: no storage, no cookies, not in the document
    const stored = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie]));
    assert.equal(stored, '[{},{},""]');
    assert.deepEqual(await browser.context.cookies(), []);
    assert.equal((await page.content()).includes(token), false);
    assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');

    // a wrong token is refused with its own message
    await page.goto(`${worker.url}/?token=wrong`);
    await page.waitForSelector('#auth:not([hidden])', WAIT);
    assert.match(await page.textContent('#banner'), /did not accept/);
  } catch (err) {
    t.diagnostic(`worker log:\n${tail(worker.log)}`);
    throw err;
  } finally {
    await page.close();
    await stopWorker(worker);
  }
});

test('in a cluster the page shows every node from GET /worker, this one first, and keeps the last answer when a poll fails', { timeout: 180_000 }, async (t) => {
  const worker = await startWorker({
    port: await freePort(),
    name: 'cluster',
    env: {
      WARMPOOL_CLUSTER_ENABLED: 'true',
      WARMPOOL_CLUSTER_PORT: '0',
      // a name of its own: a cluster of one, whatever other workers run on this machine
      WARMPOOL_CLUSTER_NAME: `browser-test-${process.pid}-${Date.now()}`,
    },
  });
  const { page, problems } = await watchedPage(browser.context);
  const polls = watchPolls(page);
  try {
    await page.goto(`${worker.url}/`);
    await page.waitForSelector('#cluster:not([hidden]) #cluster-nodes tbody tr', WAIT);
    const { cluster } = await workerInfo(worker);
    assert.ok(cluster, 'GET /worker has a cluster section');
    assert.equal(cluster.nodes.length, 1);

    // one row: this node, marked, available, its state fresh, a link to its dashboard
    const rows = page.locator('#cluster-nodes tbody tr');
    assert.equal(await rows.count(), 1);
    const row = rows.first();
    assert.equal(await row.getAttribute('data-node-id'), cluster.nodeId);
    assert.match(await row.getAttribute('class'), /\bself\b/);
    assert.equal(await row.locator('.tag.self').textContent(), 'this node');
    assert.equal(await row.locator('.badge').textContent(), 'available');
    const [rowColour, headerColour] = await page.evaluate(() => [
      getComputedStyle(document.querySelector('#cluster-nodes tbody .badge')).backgroundColor,
      getComputedStyle(document.querySelector('#status')).backgroundColor,
    ]);
    assert.equal(rowColour, headerColour, 'the status has the header badge\'s colours');
    const age = await row.locator('td.age').textContent();
    const seconds = Number(/^(\d+\.\d) s$/.exec(age)?.[1]);
    assert.ok(seconds >= 0 && seconds < 2, `the state's age is ${age}`);
    assert.equal(await row.locator('.tag.stale').count(), 0);
    assert.equal(await row.locator('td.url a').getAttribute('href'), `${worker.url}/`);
    assert.equal(await row.locator('td.threshold').textContent(), cluster.nodes[0].threshold.toFixed(2));
    assert.equal(await page.textContent('#cl-nodes'), '1');
    assert.equal(await page.textContent('#cl-forwarded'), '0');
    // it keeps polling: every 2 s
    const seen = polls.length;
    await until('the next GET /worker', () => polls.length > seen, 10_000);
    assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');

    // what the page makes of other answers, served in place of the worker's: a node of another
    // host whose state is old, listed before this one, with text that must stay text
    await page.route('**/worker', (route) => route.fulfill({
      json: {
        status: 'available',
        cluster: {
          nodeId: 'self-node',
          forwardedJobs: 3,
          nodes: [
            { nodeId: '<b>other</b>', url: 'javascript:alert(1)', status: 'full', load: 0.8, effectiveLoad: 0.9, threshold: 0.75, idle: 0, capacity: 2, activeJobs: 7, ageMs: 2600, self: false },
            { nodeId: 'self-node', url: worker.url, status: 'draining', load: 0.1, effectiveLoad: 0.1, threshold: 0.75, idle: 2, capacity: 14, activeJobs: 0, ageMs: 300, self: true },
          ],
        },
      },
    }));
    await page.waitForSelector('#cluster-nodes tbody tr[data-node-id="self-node"]', WAIT);
    const mocked = page.locator('#cluster-nodes tbody tr');
    assert.deepEqual(await mocked.evaluateAll((trs) => trs.map((tr) => tr.dataset.nodeId)), ['self-node', '<b>other</b>']);
    const other = mocked.nth(1);
    assert.equal(await other.locator('td.node').textContent(), '<b>other</b>');
    assert.equal(await other.locator('td.node b').count(), 0, 'a node id is text, not markup');
    assert.equal(await other.locator('td.url a').count(), 0, 'no link but http(s)');
    assert.equal(await other.locator('td.age .tag.stale').textContent(), 'stale');
    assert.equal(await other.locator('td.effective.over').count(), 1);
    assert.equal(await other.locator('.badge').getAttribute('data-status'), 'full');
    assert.equal(await page.textContent('#cl-forwarded'), '3');
    assert.equal(await page.textContent('#cl-available'), '0');

    // a failed poll keeps the last answer, dimmed, and the page goes on
    await page.unroute('**/worker');
    await page.route('**/worker', (route) => route.fulfill({ status: 503, json: { status: 'unavailable' } }));
    await page.waitForSelector('#cluster.stale #cluster-note:not([hidden])', WAIT);
    assert.match(await page.textContent('#cluster-note'), /HTTP 503/);
    assert.equal(await mocked.count(), 2);
    await page.unroute('**/worker');
    await page.waitForSelector('#cluster:not(.stale) #cluster-nodes tbody tr[data-node-id="' + cluster.nodeId + '"]', WAIT);
    assert.equal(await page.getAttribute('#connection', 'data-state'), 'connected');

    // without its cluster section the answer hides the panel
    await page.route('**/worker', (route) => route.fulfill({ json: { status: 'available' } }));
    await page.waitForSelector('#cluster', { state: 'hidden', ...WAIT });
    await page.unroute('**/worker');
    await page.waitForSelector('#cluster:not([hidden])', WAIT);

    // the 503s are the only problems; nothing the page did itself
    assert.deepEqual(problems.filter((p) => !/\/worker|status of 503/.test(p)), []);

    // the worker goes away: the panel stays, dimmed, until the page reconnects
    await stopWorker(worker);
    await page.waitForSelector('#banner[data-kind="disconnected"]', WAIT);
    await page.waitForSelector('#cluster.stale:not([hidden])', WAIT);
    assert.match(await page.textContent('#cluster-note'), /Not connected/);
  } catch (err) {
    t.diagnostic(`worker log:\n${tail(worker.log)}`);
    await page.screenshot({ path: path.join(TARGET, 'dashboard-cluster-failure.png'), fullPage: true }).catch(() => {});
    throw err;
  } finally {
    await page.close();
    await stopWorker(worker);
  }
});
