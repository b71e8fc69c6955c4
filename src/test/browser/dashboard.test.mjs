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
  try {
    await page.goto(`${worker.url}/`);

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

    await page.screenshot({ path: path.join(TARGET, 'dashboard.png'), fullPage: true });
    assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');

    // the worker goes away: the page says so and keeps trying
    await stopWorker(worker);
    await page.waitForSelector('#banner[data-kind="disconnected"]', WAIT);
    assert.match(await page.textContent('#banner'), /reconnecting/);
    assert.equal(await page.textContent('#status'), 'offline');

    // it comes back on the same port: the page reconnects by itself and says so
    worker = await startWorker({ port, name: 'restarted' });
    await page.waitForSelector('#banner[data-kind="reconnected"]', WAIT);
    await page.waitForSelector('#status[data-status="available"]', WAIT);
    assert.equal(await page.getAttribute('#connection', 'data-state'), 'connected');
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
  const token = `t-${Math.random().toString(36).slice(2)}`;
  const worker = await startWorker({ port: await freePort(), env: { WARMPOOL_WEB_TOKEN: token }, name: 'token' });
  const { page, problems } = await watchedPage(browser.context);
  try {
    // without the token: a clear message and a form, no data
    await page.goto(`${worker.url}/`);
    await page.waitForSelector('#auth:not([hidden])', WAIT);
    assert.match(await page.textContent('#banner'), /needs its token/);
    assert.equal(await page.getAttribute('#connection', 'data-state'), 'unauthorized');
    assert.equal(await page.textContent('#status'), 'offline');

    // the token typed into the form
    await page.fill('#auth-token', token);
    await page.click('#auth button[type="submit"]');
    await page.waitForSelector('#status[data-status="available"]', WAIT);
    assert.equal(await page.textContent('#status'), (await workerInfo(worker, token)).status);
    assert.equal(await page.isHidden('#auth'), true);

    // the token in the page's URL
    await page.goto(`${worker.url}/?token=${encodeURIComponent(token)}`);
    await page.waitForSelector('#status[data-status="available"]', WAIT);
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
