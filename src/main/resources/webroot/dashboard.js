// The warmpool dashboard: a WebSocket client of /ws like any other. It subscribes to the pool's
// state, keeps the last minutes of it in memory for the charts, and submits demo jobs and
// follows their events for the table; in a cluster it polls GET /worker for the other nodes.
// Plain browser JavaScript, no build step.
'use strict';

(() => {
  const WINDOW_S = 300;            // the charts show the last five minutes
  const SAMPLE_MS = 500;           // the state is only sent on change: sample it so time moves on
  const REDRAW_MS = 250;
  const MAX_JOBS = 50;             // rows in the table
  const BACKOFF_MIN_MS = 1000;
  const BACKOFF_MAX_MS = 10000;
  const RECONNECTED_SHOWN_MS = 5000;
  const MIN_SPAN_S = 30;
  const CHART_HEIGHT = 180;

  // Kept in this tab's memory only: never written to storage, cookies or the page. Taken out of
  // the address bar at once, so that it stays out of the history, bookmarks and screenshots.
  let token = new URLSearchParams(location.search).get('token');
  if (token !== null) {
    const url = new URL(location.href);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }

  const $ = (id) => document.getElementById(id);

  // ---- connection ----------------------------------------------------------------------

  let ws = null;
  let connected = false;
  let everConnected = false;
  let lostConnection = false;
  let unauthorized = false;
  let backoffMs = BACKOFF_MIN_MS;
  let reconnectTimer = null;
  let countdownTimer = null;
  let bannerTimer = null;
  let refSeq = 0;
  let latestState = null;

  function wsUrl() {
    const url = new URL('ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = '';
    url.hash = '';
    if (token) {
      url.searchParams.set('token', token);
    }
    return url.href;
  }

  function connect() {
    clearTimeout(reconnectTimer);
    clearInterval(countdownTimer);
    reconnectTimer = null;
    setConnection('connecting');
    const socket = new WebSocket(wsUrl());
    ws = socket;
    socket.onopen = () => send({ op: 'subscribe', ref: 'subscribe', topic: 'pool' });
    socket.onmessage = (ev) => {
      if (ws === socket) {
        onFrame(JSON.parse(ev.data));
      }
    };
    // an error is always followed by close: everything is handled there
    socket.onclose = (ev) => {
      if (ws === socket) {
        onClose(ev);
      }
    };
  }

  function send(frame) {
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return false;
    }
    ws.send(JSON.stringify(frame));
    return true;
  }

  /** The first state frame after a connect shows the token was accepted. */
  function onConnected() {
    connected = true;
    backoffMs = BACKOFF_MIN_MS;
    setConnection('connected');
    $('auth').hidden = true;
    if (lostConnection) {
      showBanner('reconnected', 'Reconnected to the worker.');
      bannerTimer = setTimeout(hideBanner, RECONNECTED_SHOWN_MS);
      rewatchOpenJobs();
    } else {
      hideBanner();
    }
    everConnected = true;
    lostConnection = false;
    startClusterPoll();
    renderJobs();
  }

  function onClose(ev) {
    ws = null;
    const wasConnected = connected;
    connected = false;
    addGap();
    renderStatus(null);
    stopClusterPoll();
    renderClusterFailure(null);
    if (unauthorized || (ev.code === 1008 && ev.reason === 'unauthorized')) {
      unauthorized = true;
      setConnection('unauthorized');
      showBanner('unauthorized', token
        ? 'The worker did not accept this token.'
        : 'This worker needs its token: open the page as /?token=… or enter it below.');
      $('auth-message').textContent = token ? 'The token was not accepted: enter the worker\'s token.' : 'This worker needs its token.';
      $('auth').hidden = false;
      $('auth-token').focus();
      renderJobs();
      return;
    }
    if (wasConnected || everConnected) {
      lostConnection = true;
    }
    setConnection('disconnected');
    scheduleReconnect();
    renderJobs();
  }

  function scheduleReconnect() {
    const delay = backoffMs;
    backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
    const due = Date.now() + delay;
    const say = () => {
      const s = Math.max(0, Math.ceil((due - Date.now()) / 1000));
      const what = everConnected ? 'Disconnected from the worker' : 'Cannot reach the worker';
      showBanner('disconnected', `${what} — reconnecting… (next try in ${s} s)`);
    };
    say();
    clearInterval(countdownTimer);
    countdownTimer = setInterval(say, 1000);
    reconnectTimer = setTimeout(connect, delay);
  }

  function setConnection(state) {
    const el = $('connection');
    el.dataset.state = state;
    el.textContent = state;
    $('job-submit').disabled = state !== 'connected';
  }

  function showBanner(kind, text) {
    clearTimeout(bannerTimer);
    const el = $('banner');
    el.dataset.kind = kind;
    el.textContent = text;
    el.hidden = false;
  }

  function hideBanner() {
    clearTimeout(bannerTimer);
    $('banner').hidden = true;
    $('banner').dataset.kind = '';
  }

  $('auth').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const input = $('auth-token');
    token = input.value.trim() || null;
    input.value = '';
    unauthorized = false;
    backoffMs = BACKOFF_MIN_MS;
    $('auth').hidden = true;
    connect();
  });

  // ---- frames --------------------------------------------------------------------------

  function onFrame(frame) {
    switch (frame.type) {
      case 'state':
        if (!connected) {
          onConnected();
        }
        latestState = frame;
        renderStatus(frame);
        addSample(frame);
        break;
      case 'accepted':
        onAccepted(frame);
        break;
      case 'rejected':
        onRejected(frame);
        break;
      case 'job':
        onJobEvent(frame);
        break;
      case 'watching':
        onRecord(frame.job);
        break;
      case 'error':
        onError(frame);
        break;
      default:
        break;
    }
  }

  function onError(frame) {
    if (frame.code === 'unauthorized') {
      unauthorized = true;
      return;
    }
    const job = frame.ref ? jobsByRef.get(frame.ref) : null;
    if (job && !isTerminal(job)) {
      // a watch after a restart finds nothing: the job went with the old worker
      const lost = frame.code === 'not-found' || frame.code === 'gone';
      const why = frame.code === 'gone' ? 'the worker no longer keeps this job\'s record' : 'the worker restarted: the job is gone';
      setOutcome(job, lost ? 'lost' : 'error', lost ? why : frame.message);
    } else if (!job) {
      $('job-hint').textContent = `worker: ${frame.code}: ${frame.message}`;
    }
  }

  // ---- status and summary --------------------------------------------------------------

  function renderStatus(state) {
    const badge = $('status');
    // the figures stay as they were last seen, dimmed, while the worker cannot be reached
    $('summary').classList.toggle('stale', !state);
    if (!state) {
      badge.textContent = 'offline';
      badge.dataset.status = '';
      $('degraded').hidden = true;
      return;
    }
    badge.textContent = state.status;
    badge.dataset.status = state.status;
    $('degraded').hidden = !state.degraded;
    const pool = state.pool || {};
    $('sum-load').textContent = fmtLoad(state.load);
    $('sum-threshold').textContent = fmtLoad(state.threshold);
    $('sum-active').textContent = state.activeJobs ?? '–';
    $('sum-waiting').textContent = state.waitingJobs ?? '–';
    $('sum-idle').textContent = `${pool.idle ?? '–'} / ${pool.targetIdle ?? '–'}`;
    $('sum-processes').textContent = pool.maxProcesses != null ? `${pool.processes} / ${pool.maxProcesses}` : `${pool.processes ?? '–'}`;
  }

  function fmtLoad(v) {
    return typeof v === 'number' ? v.toFixed(2) : '–';
  }

  function fmtMs(v) {
    if (typeof v !== 'number' || !isFinite(v)) {
      return '–';
    }
    if (v < 10) {
      return `${v.toFixed(1)} ms`;
    }
    if (v < 10000) {
      return `${Math.round(v)} ms`;
    }
    return `${(v / 1000).toFixed(1)} s`;
  }

  // ---- cluster ------------------------------------------------------------------------

  // The pool's state frames are this node's only: the view of the other nodes is in GET /worker,
  // polled while the page is connected. No cluster section (a standalone worker): no panel.
  const CLUSTER_POLL_MS = 2000;
  const CLUSTER_POLL_MAX_MS = 30000;   // after failures, less often: each one is a console line
  const CLUSTER_TIMEOUT_MS = 5000;
  const NODE_STALE_MS = 2000;          // states come every 500 ms; the cluster drops a node after 3 s

  let clusterTimer = null;
  let clusterAbort = null;
  let clusterDelayMs = CLUSTER_POLL_MS;

  function workerUrl() {
    const url = new URL('worker', location.href);
    url.search = '';   // the token goes in a header, never in this URL
    url.hash = '';
    return url.href;
  }

  function startClusterPoll() {
    stopClusterPoll();
    clusterDelayMs = CLUSTER_POLL_MS;
    pollCluster();
  }

  function stopClusterPoll() {
    clearTimeout(clusterTimer);
    clusterTimer = null;
    if (clusterAbort) {
      clusterAbort.abort();
      clusterAbort = null;
    }
  }

  async function pollCluster() {
    clusterTimer = null;
    const abort = new AbortController();
    clusterAbort = abort;
    const timeout = setTimeout(() => abort.abort(), CLUSTER_TIMEOUT_MS);
    let info = null;
    let failure = null;
    let status = 0;
    try {
      const res = await fetch(workerUrl(), {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        cache: 'no-store',
        signal: abort.signal,
      });
      status = res.status;
      if (res.ok) {
        info = await res.json();
      } else {
        failure = `HTTP ${res.status}`;
      }
    } catch {
      failure = abort.signal.aborted ? 'no answer' : 'network error';
    } finally {
      clearTimeout(timeout);
    }
    if (clusterAbort !== abort) {
      return;   // stopped meanwhile (disconnected): the next connect starts again
    }
    clusterAbort = null;
    if (info) {
      clusterDelayMs = CLUSTER_POLL_MS;
      renderCluster(info.cluster);
    } else {
      clusterDelayMs = Math.min(clusterDelayMs * 2, CLUSTER_POLL_MAX_MS);
      renderClusterFailure(`GET /worker failed (${failure})`);
    }
    // a refused token stays refused until the page connects with another one
    if (connected && status !== 401) {
      clusterTimer = setTimeout(pollCluster, clusterDelayMs);
    }
  }

  /** Keeps the last answer, dimmed, while there is no fresher one. */
  function renderClusterFailure(text) {
    const panel = $('cluster');
    panel.classList.add('stale');
    const note = $('cluster-note');
    note.textContent = text ? `${text}: the last answer is shown.` : 'Not connected: the last answer is shown.';
    note.hidden = false;
  }

  function renderCluster(cluster) {
    const panel = $('cluster');
    if (!cluster || typeof cluster !== 'object') {
      panel.hidden = true;
      return;
    }
    panel.hidden = false;
    panel.classList.remove('stale');
    $('cluster-note').hidden = true;
    const isSelf = (node) => node.self === true || node.nodeId === cluster.nodeId;
    const nodes = (Array.isArray(cluster.nodes) ? cluster.nodes : []).filter((node) => node && typeof node === 'object');
    // this node first (the worker sends it first already; the page does not rely on it)
    nodes.sort((a, b) => Number(isSelf(b)) - Number(isSelf(a)));
    $('cl-nodes').textContent = nodes.length;
    $('cl-available').textContent = nodes.filter((node) => node.status === 'available').length;
    $('cl-forwarded').textContent = cluster.forwardedJobs ?? '–';
    $('cluster-nodes').tBodies[0].replaceChildren(...nodes.map((node) => nodeRow(node, isSelf(node))));
  }

  function nodeRow(node, self) {
    const tr = document.createElement('tr');
    tr.dataset.nodeId = String(node.nodeId ?? '');
    tr.classList.toggle('self', self);
    const cell = (text, cls) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls) {
        td.className = cls;
      }
      tr.appendChild(td);
      return td;
    };
    const tag = (text, cls, title) => {
      const span = document.createElement('span');
      span.className = `tag ${cls}`;
      span.textContent = text;
      span.title = title;
      return span;
    };

    const id = cell(String(node.nodeId ?? '–'), 'node');
    if (self) {
      id.appendChild(tag('this node', 'self', 'the node that serves this page'));
    }
    const status = cell('', 'status');
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.dataset.status = String(node.status ?? '');
    badge.textContent = String(node.status ?? '–');
    status.appendChild(badge);
    if (node.degraded) {
      status.appendChild(tag('degraded', 'degraded', 'its processes fail to start: it gets no jobs from other nodes'));
    }
    cell(fmtLoad(node.load), 'num load');
    const effective = cell(fmtLoad(node.effectiveLoad), 'num effective');
    effective.classList.toggle('over', typeof node.effectiveLoad === 'number' && node.effectiveLoad >= node.threshold);
    cell(fmtLoad(node.threshold), 'num threshold');
    cell(fmtCount(node.idle), 'num idle');
    cell(fmtCount(node.capacity), 'num capacity');
    cell(fmtCount(node.activeJobs), 'num active');
    const age = cell(fmtAge(node.ageMs), 'num age');
    const stale = typeof node.ageMs === 'number' && node.ageMs > NODE_STALE_MS;
    tr.classList.toggle('stale', stale);
    if (stale) {
      age.appendChild(tag('stale', 'stale', 'no state from this node for over 2 s: it gets no new jobs after 3 s'));
    }
    const link = cell('', 'url');
    const href = dashboardHref(node.url);
    if (href) {
      const a = document.createElement('a');
      a.href = href;
      a.textContent = node.url;
      link.appendChild(a);
    } else {
      link.textContent = node.url ? String(node.url) : '–';
    }
    return tr;
  }

  /** The node's dashboard, if its URL is a plain http(s) one (the token is not passed on). */
  function dashboardHref(url) {
    try {
      const parsed = new URL('/', String(url));
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
    } catch {
      return null;
    }
  }

  function fmtCount(v) {
    return Number.isInteger(v) ? String(v) : '–';
  }

  function fmtAge(ms) {
    return typeof ms === 'number' && isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : '–';
  }

  // ---- samples and charts --------------------------------------------------------------

  // one array per column, time in seconds (uPlot's unit)
  const samples = { t: [], load: [], effective: [], threshold: [], idle: [], initializing: [], running: [], exiting: [], target: [] };
  const latencies = [];   // {t, pool, page}, by time

  function addSample(state) {
    const pool = state.pool || {};
    push({
      t: Date.now() / 1000,
      load: state.load,
      effective: state.effectiveLoad ?? state.load,
      threshold: state.threshold,
      idle: pool.idle,
      initializing: pool.initializing,
      running: pool.running,
      exiting: pool.exiting ?? 0,
      target: pool.targetIdle,
    });
  }

  /** A row of nulls: the lines break where the page was not connected. */
  function addGap() {
    if (samples.t.length && samples.idle[samples.idle.length - 1] != null) {
      push({ t: Date.now() / 1000 });
    }
  }

  function push(row) {
    for (const key of Object.keys(samples)) {
      samples[key].push(row[key] ?? null);
    }
    const cutoff = Date.now() / 1000 - WINDOW_S;
    let drop = 0;
    while (drop < samples.t.length && samples.t[drop] < cutoff) {
      drop++;
    }
    if (drop) {
      for (const key of Object.keys(samples)) {
        samples[key].splice(0, drop);
      }
    }
    scheduleRedraw();
  }

  setInterval(() => {
    if (connected && latestState) {
      addSample(latestState);
    }
  }, SAMPLE_MS);

  const COLORS = {
    load: '#1f5fbf',
    effective: '#7c4dbd',
    threshold: '#c4321c',
    idle: '#2e9e4f',
    initializing: '#e0a100',
    running: '#1f5fbf',
    exiting: '#98a2b3',
    target: '#1d2330',
    pool: '#1f5fbf',
    page: '#e07b00',
  };
  const alpha = (hex, a) => hex + Math.round(a * 255).toString(16).padStart(2, '0');

  const charts = {};
  const STACK = ['idle', 'initializing', 'running', 'exiting'];

  /** The same time window on every chart, so they line up: from the first sample, at most five minutes. */
  function timeRange() {
    const now = Date.now() / 1000;
    const first = samples.t.length ? samples.t[0] : now;
    return [Math.max(now - WINDOW_S, Math.min(first, now - MIN_SPAN_S)), now];
  }

  const fmtClock = (t) => new Date(t * 1000).toLocaleTimeString([], { hour12: false });

  /** Away from the cursor, the legend shows the latest values. */
  function latestInLegend(u) {
    if (u.cursor.left == null || u.cursor.left < 0) {
      let idx = u.data[0].length - 1;
      while (idx >= 0 && u.data.slice(1).every((column) => column[idx] == null)) {
        idx--;
      }
      u.setLegend({ idx: idx < 0 ? null : idx }, false);
    }
  }

  function chartOptions(el, extra) {
    const options = Object.assign({
      width: Math.max(300, el.clientWidth),
      height: CHART_HEIGHT,
      cursor: { sync: { key: 'warmpool' } },
      legend: { live: true },
      hooks: { draw: [latestInLegend] },
    }, extra);
    options.series[0] = { value: (u, v) => (v == null ? '–' : fmtClock(v)) };
    options.axes[0] = { values: (u, ticks) => ticks.map(fmtClock) };
    return options;
  }

  function createCharts() {
    const stepped = uPlot.paths.stepped({ align: 1 });

    let el = $('chart-load');
    charts.load = new uPlot(chartOptions(el, {
      scales: { x: { time: true, range: () => timeRange() }, y: { range: (u, min, max) => [0, Math.max(1, max ?? 0)] } },
      axes: [{}, { label: 'load', size: 50, values: (u, ticks) => ticks.map((v) => v.toFixed(2)) }],
      series: [
        {},
        { label: 'load', stroke: COLORS.load, width: 2, fill: alpha(COLORS.load, 0.08), value: (u, v) => fmtLoad(v) },
        { label: 'with reserved jobs', stroke: COLORS.effective, width: 1, dash: [4, 3], value: (u, v) => fmtLoad(v) },
        { label: 'threshold', stroke: COLORS.threshold, width: 1.5, dash: [8, 4], paths: stepped, value: (u, v) => fmtLoad(v) },
      ],
    }), [[], [], [], []], el);

    el = $('chart-processes');
    charts.processes = new uPlot(chartOptions(el, {
      scales: { x: { time: true, range: () => timeRange() }, y: { range: (u, min, max) => [0, Math.max(4, Math.ceil((max ?? 0) * 1.1))] } },
      axes: [{}, { label: 'processes', size: 50, values: (u, ticks) => ticks.map((v) => (Number.isInteger(v) ? v : '')) }],
      // bands fill between a stacked series and the one under it
      bands: [{ series: [2, 1] }, { series: [3, 2] }, { series: [4, 3] }],
      series: [
        {},
        ...STACK.map((key) => ({
          label: key,
          stroke: COLORS[key],
          width: 1,
          fill: alpha(COLORS[key], 0.45),
          paths: stepped,
          // the legend shows the count, not the stacked height
          value: (u, v, si, i) => (i == null ? '–' : (samples[key][i] ?? '–')),
        })),
        { label: 'idle target', stroke: COLORS.target, width: 2, dash: [6, 4], paths: stepped, value: (u, v) => v ?? '–' },
      ],
    }), [[], [], [], [], [], []], el);

    el = $('chart-latency');
    const dots = { show: true, size: 7 };
    charts.latency = new uPlot(chartOptions(el, {
      scales: { x: { time: true, range: () => timeRange() }, y: { range: (u, min, max) => [0, Math.max(10, (max ?? 0) * 1.15)] } },
      axes: [{}, { label: 'ms', size: 50 }],
      series: [
        {},
        { label: 'pool: accepted → started', stroke: COLORS.pool, fill: COLORS.pool, paths: () => null, points: dots, value: (u, v) => fmtMs(v) },
        { label: 'page: submit → started', stroke: COLORS.page, fill: COLORS.page, paths: () => null, points: dots, value: (u, v) => fmtMs(v) },
      ],
    }), [[], [], []], el);

    const resize = () => {
      for (const [name, chart] of Object.entries(charts)) {
        chart.setSize({ width: Math.max(300, $(`chart-${name}`).clientWidth), height: CHART_HEIGHT });
      }
    };
    new ResizeObserver(resize).observe(document.querySelector('main'));
  }

  let redrawTimer = null;

  function scheduleRedraw() {
    if (redrawTimer == null) {
      redrawTimer = setTimeout(redraw, REDRAW_MS);
    }
  }

  function redraw() {
    redrawTimer = null;
    if (!charts.load) {
      return;
    }
    charts.load.setData([samples.t, samples.load, samples.effective, samples.threshold]);

    const sums = new Array(samples.t.length).fill(0);
    const stacked = STACK.map((key) => samples[key].map((v, i) => (v == null ? null : (sums[i] += v))));
    charts.processes.setData([samples.t, ...stacked, samples.target]);

    const cutoff = Date.now() / 1000 - WINDOW_S;
    while (latencies.length && latencies[0].t < cutoff) {
      latencies.shift();
    }
    charts.latency.setData([latencies.map((l) => l.t), latencies.map((l) => l.pool ?? null), latencies.map((l) => l.page ?? null)]);

    $('chart-load').dataset.points = samples.load.filter((v) => v != null).length;
    $('chart-processes').dataset.points = samples.idle.filter((v) => v != null).length;
    $('chart-latency').dataset.points = latencies.length;
  }

  // ---- jobs ----------------------------------------------------------------------------

  const jobs = [];                 // newest first
  const jobsById = new Map();
  const jobsByRef = new Map();
  const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'rejected', 'lost', 'error']);
  const isTerminal = (job) => TERMINAL.has(job.outcome);

  function newJobId() {
    const bytes = crypto.getRandomValues(new Uint8Array(6));
    return 'dash-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function submitJob(payload, timeoutMs) {
    // the page picks the id, so it knows the job before any of its events can arrive
    const job = {
      jobId: newJobId(),
      ref: `submit-${++refSeq}`,
      payload,
      outcome: 'submitting',
      detail: '',
      submittedAt: new Date(),
      sentAt: performance.now(),
    };
    const frame = { op: 'submit', ref: job.ref, jobId: job.jobId, payload };
    if (timeoutMs) {
      frame.timeoutMs = timeoutMs;
    }
    if (!send(frame)) {
      return;
    }
    jobs.unshift(job);
    jobsById.set(job.jobId, job);
    jobsByRef.set(job.ref, job);
    while (jobs.length > MAX_JOBS) {
      const old = jobs.pop();
      jobsById.delete(old.jobId);
      jobsByRef.delete(old.ref);
    }
    renderJobs();
  }

  function onAccepted(frame) {
    const job = jobsByRef.get(frame.ref);
    if (job && job.outcome === 'submitting') {
      setOutcome(job, 'waiting', '');
    }
  }

  function onRejected(frame) {
    const job = jobsByRef.get(frame.ref);
    if (job) {
      const why = frame.reason === 'full'
        ? `load ${fmtLoad(frame.load)} ≥ threshold ${fmtLoad(frame.threshold)}`
        : (frame.message || '');
      job.reason = frame.reason;
      setOutcome(job, 'rejected', why);
    }
  }

  function onJobEvent(frame) {
    const job = jobsById.get(frame.jobId);
    if (!job || isTerminal(job) || (frame.seq != null && frame.seq <= (job.lastSeq || 0))) {
      return;   // seen already: a watch replays what it is asked for, the first copy counts
    }
    if (frame.seq != null) {
      job.lastSeq = frame.seq;
    }
    switch (frame.event) {
      case 'started':
        job.startedAt = performance.now();
        job.pid = frame.pid;
        job.pageLatencyMs = job.startedAt - job.sentAt;
        job.latency = { t: Date.now() / 1000, page: job.pageLatencyMs };
        latencies.push(job.latency);
        setOutcome(job, 'running', frame.pid != null ? `pid ${frame.pid}` : '');
        scheduleRedraw();
        break;
      case 'output':
        break;
      case 'completed':
      case 'failed':
      case 'cancelled':
        applyTerminal(job, frame);
        // the pool's own timings come with the job's record
        job.recordRef = `record-${++refSeq}`;
        jobsByRef.set(job.recordRef, job);
        send({ op: 'watch', ref: job.recordRef, jobId: job.jobId, fromSeq: job.lastSeq || 0 });
        break;
      default:
        break;
    }
  }

  function applyTerminal(job, event) {
    job.reason = event.reason;
    if (job.startedAt != null && job.durationMs == null) {
      job.durationMs = performance.now() - job.startedAt;
    }
    let detail = '';
    if (event.event === 'completed') {
      detail = event.result === undefined ? '' : JSON.stringify(event.result);
    } else if (event.event === 'failed') {
      detail = event.detail || '';
    }
    setOutcome(job, event.event, detail);
  }

  /** A job's record (answer to watch): the pool's start latency and duration, or its end if missed. */
  function onRecord(record) {
    const job = record && jobsById.get(record.jobId);
    if (!job) {
      return;
    }
    if (typeof record.startLatencyMs === 'number') {
      job.poolLatencyMs = record.startLatencyMs;
      if (!job.latency) {
        job.latency = { t: (record.startedAt || Date.now()) / 1000 };
        latencies.push(job.latency);
        latencies.sort((a, b) => a.t - b.t);
      }
      job.latency.pool = record.startLatencyMs;
    }
    if (record.startedAt && record.endedAt) {
      job.durationMs = record.endedAt - record.startedAt;
    }
    if (record.terminal && !isTerminal(job)) {
      applyTerminal(job, record.terminal);
    } else if (!isTerminal(job) && (record.state === 'running' || record.state === 'waiting' || record.state === 'assigned')) {
      setOutcome(job, record.state === 'running' ? 'running' : 'waiting', job.detail);
    }
    scheduleRedraw();
    renderJobs();
  }

  /**
   * After a reconnect: the jobs still open are watched again from the last event seen, so the
   * worker replays what came meanwhile and none of their events is lost.
   */
  function rewatchOpenJobs() {
    for (const job of jobs) {
      if (!isTerminal(job) && job.outcome !== 'submitting') {
        job.recordRef = `record-${++refSeq}`;
        jobsByRef.set(job.recordRef, job);
        send({ op: 'watch', ref: job.recordRef, jobId: job.jobId, fromSeq: job.lastSeq || 0 });
      } else if (job.outcome === 'submitting') {
        setOutcome(job, 'lost', 'the connection dropped before the worker answered');
      }
    }
  }

  function setOutcome(job, outcome, detail) {
    job.outcome = outcome;
    job.detail = detail;
    renderJobs();
  }

  function opSummary(payload) {
    const args = Object.entries(payload).filter(([k]) => k !== 'op').map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : v}`);
    return [payload.op, ...args].join(' ');
  }

  function outcomeText(job) {
    if ((job.outcome === 'failed' || job.outcome === 'rejected') && job.reason) {
      return `${job.outcome}: ${job.reason}`;
    }
    return job.outcome;
  }

  let renderPending = false;

  function renderJobs() {
    if (renderPending) {
      return;
    }
    renderPending = true;
    requestAnimationFrame(() => {
      renderPending = false;
      const body = document.querySelector('#jobs tbody');
      const rows = jobs.map((job) => {
        const tr = document.createElement('tr');
        tr.dataset.jobId = job.jobId;
        const cell = (text, cls, title) => {
          const td = document.createElement('td');
          td.textContent = text;
          if (cls) {
            td.className = cls;
          }
          if (title) {
            td.title = title;
          }
          tr.appendChild(td);
          return td;
        };
        cell(job.jobId, 'job');
        cell(opSummary(job.payload), 'op');
        const outcome = cell('', 'outcome');
        const badge = document.createElement('span');
        badge.dataset.outcome = job.outcome;
        badge.textContent = outcomeText(job);
        outcome.appendChild(badge);
        cell(fmtMs(job.poolLatencyMs ?? job.pageLatencyMs), 'num latency',
          job.pageLatencyMs != null ? `page: submit → started ${fmtMs(job.pageLatencyMs)}` : '');
        cell(fmtMs(job.durationMs), 'num duration');
        cell(job.submittedAt.toLocaleTimeString([], { hour12: false }), 'time');
        const detail = job.detail || '';
        cell(detail.length > 60 ? detail.slice(0, 59) + '…' : detail, 'detail', detail.length > 60 ? detail : '');
        const action = cell('', 'action');
        if (!isTerminal(job) && job.outcome !== 'submitting' && connected) {
          const cancel = document.createElement('button');
          cancel.type = 'button';
          cancel.className = 'link';
          cancel.dataset.cancel = job.jobId;
          cancel.textContent = 'cancel';
          action.appendChild(cancel);
        }
        return tr;
      });
      body.replaceChildren(...rows);
      $('jobs-empty').hidden = jobs.length > 0;
      renderJobStats();
    });
  }

  /** Outcome counts and start-latency percentiles of the jobs in the table. */
  function renderJobStats() {
    const count = (outcome) => jobs.filter((job) => job.outcome === outcome).length;
    $('st-submitted').textContent = jobs.length;
    $('st-completed').textContent = count('completed');
    $('st-failed').textContent = count('failed') + count('lost') + count('error');
    $('st-rejected').textContent = count('rejected');
    const ms = jobs.map((job) => job.poolLatencyMs ?? job.pageLatencyMs).filter((v) => v != null).sort((a, b) => a - b);
    const pct = (p) => (ms.length ? ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)] : null);
    $('st-p50').textContent = fmtMs(pct(50));
    $('st-p95').textContent = fmtMs(pct(95));
    $('st-max').textContent = fmtMs(ms.length ? ms[ms.length - 1] : null);
  }

  document.querySelector('#jobs tbody').addEventListener('click', (ev) => {
    const jobId = ev.target.dataset && ev.target.dataset.cancel;
    if (jobId) {
      send({ op: 'cancel', ref: `cancel-${++refSeq}`, jobId });
    }
  });

  // ---- the demo-job form ---------------------------------------------------------------

  const OPS = {
    echo: { params: [{ name: 'value', type: 'text', value: 'hello' }], hint: 'returns the value' },
    sleep: { params: [{ name: 'ms', value: 500 }], hint: 'sleeps, then completes' },
    burn: { params: [{ name: 'ms', value: 300 }], hint: 'keeps one CPU busy' },
    alloc: { params: [{ name: 'mb', value: 64 }, { name: 'ms', value: 1000 }], hint: 'holds resident memory for a while' },
    spam: { params: [{ name: 'lines', value: 100 }], hint: 'prints noise on stdout and stderr, then completes' },
    crash: { params: [{ name: 'code', value: 3 }], hint: 'the process exits at once: the job fails, crashed' },
    hang: { params: [], hint: 'never ends: give it a timeout, or cancel it from the table' },
  };

  function renderParams() {
    const op = OPS[$('job-op').value];
    const box = $('job-params');
    box.replaceChildren(...op.params.map((p) => {
      const label = document.createElement('label');
      label.append(p.name + ' ');
      const input = document.createElement('input');
      input.name = p.name;
      input.type = p.type || 'number';
      if (input.type === 'number') {
        input.min = '0';
        input.step = '1';
      }
      input.value = p.value;
      label.appendChild(input);
      return label;
    }));
    $('job-hint').textContent = op.hint;
  }

  $('job-op').addEventListener('change', renderParams);

  $('submit-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const payload = { op: $('job-op').value };
    for (const input of $('job-params').querySelectorAll('input')) {
      payload[input.name] = input.type === 'number' ? Number(input.value) : input.value;
    }
    const timeout = Number($('job-timeout').value);
    const count = Math.min(20, Math.max(1, Number($('job-count').value) || 1));
    for (let i = 0; i < count; i++) {
      submitJob(payload, timeout > 0 ? timeout : undefined);
    }
  });

  // ---- start ---------------------------------------------------------------------------

  renderParams();
  createCharts();
  setConnection('connecting');
  connect();
})();
