/**
 * The child runtime: the connection to the worker and the protocol's state machine
 * (docs/protocol.md of the warmpool repository). Internal to warmpool-child; users call `run`.
 * @module
 */
import net from 'node:net';
import { JobContext, JobCancelledError, scope, setDefaultSink } from './context.js';
import { executeJob } from './execute.js';
import { FrameReader, MAX_FRAME_BYTES, ProtocolError, errorText } from './frames.js';

/** This package's version, as `hello` reports it. A test keeps it equal to package.json's. */
export const VERSION = '0.1.0';

/** Exit statuses, as the Java child runtime uses them. */
export const ExitCode = Object.freeze({
  OK: 0,
  INIT_FAILED: 1, // also: an uncaught exception in the job's code
  BAD_START: 2,
  PROTOCOL_ERROR: 3,
  CHANNEL_CLOSED: 4,
  PARENT_GONE: 5,
});

const PARENT_CHECK_MS = 1000;
// A log record is the job's own text; one over the frame limit is cut to this, not dropped.
const MAX_LOG_MESSAGE_CHARS = 64 * 1024;

function diag(message) {
  process.stderr.write(`[warmpool-child ${process.pid}] ${message}\n`);
}

/**
 * Field checks of the known worker → child messages. Every listed field is required; a wrong
 * one is a protocol error (the worker and this child disagree on the protocol, so going on
 * would only fail later and less clearly).
 */
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const FIELD_TYPES = {
  string: [(v) => typeof v === 'string', 'a string'],
  integer: [(v) => Number.isInteger(v), 'an integer'],
  object: [isObject, 'an object'],
  id: [(v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)), 'a string or a number'],
};
const KNOWN = {
  initialize: { entrypoint: 'string', options: 'object' },
  start: { jobId: 'id', payload: 'object' },
  ping: { seq: 'integer' },
  shutdown: { reason: 'string' },
  cancel: { jobId: 'id', graceMs: 'integer' },
};

function checkFields(message) {
  const fields = KNOWN[message.type];
  for (const [name, type] of Object.entries(fields)) {
    const [ok, what] = FIELD_TYPES[type];
    if (!Object.hasOwn(message, name)) {
      throw new ProtocolError(`${message.type} without "${name}"`);
    }
    if (!ok(message[name])) {
      throw new ProtocolError(`${message.type}.${name} must be ${what}, not ${JSON.stringify(message[name])}`);
    }
  }
}

/**
 * One child process's session with its worker.
 */
export class ChildSession {
  #definition;
  #socket;
  #reader = new FrameReader();
  /** @type {'initializing-wait' | 'initializing' | 'idle' | 'running' | 'exiting'} */
  #state = 'initializing-wait';
  #options = {};
  #prewarmState;
  /** @type {JobContext | null} */
  #job = null;
  #shutdownRequested = false;
  #warnedUnknown = false;

  /** @param {{ prewarm?: Function, job: Function }} definition */
  constructor(definition) {
    this.#definition = definition;
  }

  /** Connects and says hello; exits with status 2 when it cannot. */
  start() {
    const portText = process.env.WARMPOOL_IPC_PORT;
    const token = process.env.WARMPOOL_IPC_TOKEN;
    if (portText === undefined || token === undefined || token === '') {
      const missing = portText === undefined ? 'WARMPOOL_IPC_PORT' : 'WARMPOOL_IPC_TOKEN';
      process.stderr.write(
        `warmpool-child: ${missing} is not set. This program is a warmpool child: a warmpool worker starts it\n` +
        `(child.command in the worker's config) and gives it WARMPOOL_IPC_PORT and WARMPOOL_IPC_TOKEN.\n` +
        `To try the job without a worker, call runJob from 'warmpool-child/testing' in a test.\n`);
      process.exit(ExitCode.BAD_START);
    }
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      process.stderr.write(`warmpool-child: WARMPOOL_IPC_PORT must be a TCP port (1 to 65535), not ${JSON.stringify(portText)}\n`);
      process.exit(ExitCode.BAD_START);
    }

    let connected = false;
    const socket = net.connect({ host: '127.0.0.1', port });
    this.#socket = socket;
    socket.setNoDelay(true); // frames are small and each one is awaited by the other side
    socket.on('connect', () => {
      connected = true;
    });
    socket.on('data', (chunk) => this.#onData(chunk));
    socket.on('error', (error) => {
      if (!connected) {
        process.stderr.write(`warmpool-child: cannot reach the worker at 127.0.0.1:${port} (${error.code ?? error.message})\n`);
        process.exit(ExitCode.BAD_START);
      }
      this.#channelGone(`the channel failed (${error.code ?? error.message})`);
    });
    // The worker closing the channel, or dying (even by SIGKILL), ends the stream: that is how
    // a child notices it is orphaned, so it leaves at once, whatever a job is doing.
    socket.on('end', () => this.#channelGone('the worker closed the channel'));
    socket.on('close', () => this.#channelGone('the channel closed'));

    // Written before the socket is even connected: Node sends queued writes in order, so hello
    // is the first frame whatever the job logs meanwhile.
    this.#send(JSON.stringify({
      type: 'hello',
      token,
      pid: process.pid,
      runtime: `node ${process.version} warmpool-child ${VERSION}`,
    }));
    setDefaultSink((record) => this.#sendLog(record));
    process.on('uncaughtException', (error) => this.#onUncaught(error));
    this.#watchParent();
  }

  #send(frame) {
    if (!this.#socket.destroyed) {
      this.#socket.write(`${frame}\n`);
    }
  }

  #sendLog(record) {
    let frame = JSON.stringify(record);
    if (Buffer.byteLength(frame) > MAX_FRAME_BYTES) {
      const bytes = Buffer.byteLength(frame);
      frame = JSON.stringify({
        ...record,
        message: `${record.message.slice(0, MAX_LOG_MESSAGE_CHARS)}…`,
        fields: { truncated: `the record was ${bytes} bytes, over the 1 MiB frame limit` },
      });
    }
    this.#send(frame);
  }

  #onData(chunk) {
    if (this.#state === 'exiting') {
      return;
    }
    try {
      for (const message of this.#reader.push(chunk)) {
        this.#handle(message);
        if (this.#state === 'exiting') {
          return;
        }
      }
    } catch (error) {
      if (error instanceof ProtocolError) {
        this.#protocolError(error.message);
      } else {
        throw error;
      }
    }
  }

  #handle(message) {
    if (!Object.hasOwn(KNOWN, message.type)) {
      // A newer worker may send types this child does not know: skip them, say so once.
      if (!this.#warnedUnknown) {
        this.#warnedUnknown = true;
        diag(`ignoring a message of unknown type ${JSON.stringify(message.type)} (and any later unknown ones)`);
      }
      return;
    }
    checkFields(message);
    switch (message.type) {
      case 'ping':
        this.#send(JSON.stringify({ type: 'pong', seq: message.seq }));
        break;
      case 'initialize':
        if (this.#state !== 'initializing-wait') {
          throw new ProtocolError(`initialize out of order (the child is ${this.#state})`);
        }
        this.#prewarm(message.options);
        break;
      case 'start':
        if (this.#shutdownRequested) {
          return; // the process is going away; the worker sends no job to it on purpose
        }
        if (this.#state !== 'idle') {
          throw new ProtocolError(this.#state === 'running'
            ? `start of job ${JSON.stringify(message.jobId)} while job ${JSON.stringify(this.#job.jobId)} runs`
            : `start before ready (the child is ${this.#state})`);
        }
        this.#runJob(message.jobId, message.payload);
        break;
      case 'cancel':
        // strict equality: the id is echoed with its JSON type, and "7" is not job 7
        if (this.#job !== null && this.#job.jobId === message.jobId && !this.#job.ended) {
          this.#job.abort(new JobCancelledError('cancel',
            `job ${message.jobId} was cancelled; the process is shut down in ${message.graceMs} ms`, message.graceMs));
        }
        break;
      case 'shutdown':
        this.#shutdown();
        break;
    }
  }

  async #prewarm(options) {
    this.#state = 'initializing';
    this.#options = options;
    let prewarmState;
    try {
      const prewarm = this.#definition.prewarm;
      prewarmState = prewarm === undefined
        ? undefined
        : await scope.run({ job: null, sink: (record) => this.#sendLog(record) }, () => prewarm(options));
    } catch (error) {
      if (this.#state !== 'exiting') {
        diag(`prewarm failed: ${error?.stack ?? error}`);
        this.#exit(ExitCode.INIT_FAILED, JSON.stringify({ type: 'initFailed', error: errorText(error) }));
      }
      return;
    }
    if (this.#state === 'exiting') {
      return; // shut down meanwhile: only exiting was due
    }
    this.#prewarmState = prewarmState;
    this.#state = 'idle';
    this.#send(JSON.stringify({ type: 'ready' }));
  }

  async #runJob(jobId, payload) {
    this.#state = 'running';
    const ctx = new JobContext({
      jobId,
      state: this.#prewarmState,
      options: this.#options,
      emit: (frame) => this.#send(frame),
      sink: (record) => this.#sendLog(record),
    });
    this.#job = ctx;
    this.#send(JSON.stringify({ type: 'started', jobId }));
    const ending = await executeJob(this.#definition.job, payload, ctx);
    if (this.#state === 'exiting' || ctx.ended) {
      return; // an uncaught exception ended it first
    }
    ctx.ended = true;
    this.#job = null;
    this.#send(ending.frame);
    if (this.#shutdownRequested) {
      this.#exit(ExitCode.OK, JSON.stringify({ type: 'exiting', reason: 'shutdown' }));
    } else {
      this.#state = 'idle';
    }
  }

  #shutdown() {
    this.#shutdownRequested = true;
    if (this.#state === 'running') {
      // The job gets the chance to end; its done or failed then comes before exiting. A job
      // that ignores the signal is killed by the worker after pool.closeTimeoutMs.
      this.#job.abort(new JobCancelledError('shutdown', 'the worker is shutting this process down'));
      return;
    }
    this.#exit(ExitCode.OK, JSON.stringify({ type: 'exiting', reason: 'shutdown' }));
  }

  #protocolError(reason) {
    diag(`protocol error: ${reason}`);
    this.#exit(ExitCode.PROTOCOL_ERROR, JSON.stringify({ type: 'exiting', reason: `protocol-error: ${reason}` }));
  }

  #onUncaught(error) {
    diag(`uncaught exception: ${error?.stack ?? error}`);
    // Node's rule: after an uncaught exception the process's state is unknown, so it must not
    // run another job. The running job still gets a failed with the reason, not a bare crash.
    const job = this.#job;
    if (job !== null && !job.ended && this.#state === 'running') {
      job.ended = true;
      this.#send(JSON.stringify({ type: 'failed', jobId: job.jobId, error: errorText(error) }));
    }
    this.#exit(ExitCode.INIT_FAILED, JSON.stringify({ type: 'exiting', reason: `uncaught exception: ${errorText(error)}` }));
  }

  #channelGone(why) {
    if (this.#state !== 'exiting') {
      diag(`${why}: exiting`);
      process.exit(ExitCode.CHANNEL_CLOSED);
    }
  }

  /** Sends the last frame, waits until it is handed to the OS, exits. */
  #exit(code, frame) {
    this.#state = 'exiting';
    const socket = this.#socket;
    if (socket.destroyed) {
      process.exit(code);
    }
    socket.end(`${frame}\n`, () => process.exit(code));
    // A worker that stopped reading would hold the flush forever; the frame is a courtesy.
    setTimeout(() => process.exit(code), 2000);
  }

  #watchParent() {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) {
        diag(`the process that started this child (${parent}) is gone: exiting`);
        process.exit(ExitCode.PARENT_GONE);
      }
    }, PARENT_CHECK_MS).unref();
  }
}
