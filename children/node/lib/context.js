/**
 * What a job sees: its context (`ctx`), the cancel signal and the loggers. Shared by the child
 * runtime and by `warmpool-child/testing`, so a job behaves the same in a unit test as in a
 * worker. Internal to warmpool-child.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { frameWith, looseJsonText, toJsonText } from './frames.js';

/** The levels a `log` record may have, lowest first. */
export const LEVELS = Object.freeze(['debug', 'info', 'warn', 'error']);

/**
 * The reason of `ctx.signal` once it aborted: the client cancelled the job, or the worker is
 * shutting the process down.
 */
export class JobCancelledError extends Error {
  /**
   * @param {'cancel' | 'shutdown'} trigger
   * @param {string} message
   * @param {number} [graceMs]
   */
  constructor(trigger, message, graceMs) {
    super(message);
    this.name = 'JobCancelledError';
    /** `"cancel"` (the client cancelled the job) or `"shutdown"` (the worker stops the process). */
    this.trigger = trigger;
    /** For a cancel: the milliseconds left before the worker shuts the process down. */
    this.graceMs = graceMs;
  }
}

/**
 * Where log records go: set by the runtime (the channel) or by a test run (a list). Each job
 * runs inside `scope.run(...)` so that any code it calls, however deep and across `await`,
 * logs with its job id without being handed the context.
 * @type {AsyncLocalStorage<{ job: JobContext | null, sink: (record: object) => void }>}
 */
export const scope = new AsyncLocalStorage();

/** The sink of records made outside any job or test run (module level, prewarm). */
let defaultSink = (record) => {
  // Not in a worker and not in runJob (a script, a REPL): stderr keeps them visible.
  process.stderr.write(`[warmpool-child] ${record.level} ${record.message} ${JSON.stringify(record.fields)}\n`);
};

/** @param {(record: object) => void} sink */
export function setDefaultSink(sink) {
  defaultSink = sink;
}

/** @returns {(record: object) => void} */
export function currentSink() {
  return scope.getStore()?.sink ?? defaultSink;
}

/**
 * A record as the protocol carries it. It never throws: a log call must not fail a job, so
 * fields that are not JSON are described instead of sent.
 */
function makeRecord(level, message, fields, job) {
  const record = { type: 'log', level, message: typeof message === 'string' ? message : String(message), fields: {} };
  if (fields !== undefined && fields !== null) {
    if (typeof fields === 'object' && !Array.isArray(fields)) {
      try {
        record.fields = JSON.parse(looseJsonText(fields));
      } catch (e) {
        record.fields = { fieldsError: e.message };
      }
    } else {
      record.fields = { fieldsError: 'the fields of a log record must be an object' };
    }
  }
  if (job !== null && job !== undefined) {
    if (job.ended) {
      // The worker treats a message naming a job that no longer runs as a protocol error; a
      // timer the job left behind must not get the process killed.
      record.fields.endedJobId = job.jobId;
    } else {
      record.jobId = job.jobId;
    }
  }
  return record;
}

/**
 * A logger. `job` fixes the job (ctx.log); without it the job is looked up in the async scope
 * (the module-level `log`).
 */
export class Logger {
  #job;

  /** @param {JobContext} [job] */
  constructor(job) {
    this.#job = job;
  }

  /**
   * Emits a record at `level`.
   * @param {'debug'|'info'|'warn'|'error'} level
   * @param {string} message
   * @param {Record<string, unknown>} [fields]
   */
  log(level, message, fields) {
    if (!LEVELS.includes(level)) {
      throw new TypeError(`log level must be one of ${LEVELS.join(', ')}, not ${JSON.stringify(level)}`);
    }
    const store = scope.getStore();
    const job = this.#job ?? store?.job ?? null;
    // ctx.log of a job goes to that job's sink even when called from outside its scope
    const sink = this.#job?.sink ?? store?.sink ?? defaultSink;
    sink(makeRecord(level, message, fields, job));
  }

  /** @param {string} message @param {Record<string, unknown>} [fields] */
  debug(message, fields) { this.log('debug', message, fields); }

  /** @param {string} message @param {Record<string, unknown>} [fields] */
  info(message, fields) { this.log('info', message, fields); }

  /** @param {string} message @param {Record<string, unknown>} [fields] */
  warn(message, fields) { this.log('warn', message, fields); }

  /** @param {string} message @param {Record<string, unknown>} [fields] */
  error(message, fields) { this.log('error', message, fields); }
}

/** The module-level logger: knows the running job from the async scope. */
export const log = new Logger();

/**
 * The `ctx` of one job run.
 */
export class JobContext {
  #controller = new AbortController();
  #emit;
  #warnedLate = false;

  /**
   * @param {object} init
   * @param {string | number} init.jobId
   * @param {unknown} init.state what prewarm returned
   * @param {object} init.options the options prewarm was given
   * @param {(frame: string, data: unknown) => void} init.emit sends one output frame
   * @param {(record: object) => void} init.sink takes log records
   */
  constructor({ jobId, state, options, emit, sink }) {
    /** The job's id, as the worker sent it (a string or a number). */
    this.jobId = jobId;
    /** What the prewarm hook returned (`undefined` without one). */
    this.state = state;
    /** The options the prewarm hook was given (the worker's `child.options`). */
    this.options = options;
    /** Logs records that carry this job's id. */
    this.log = new Logger(this);
    // internal: where this job's records go, and whether its done/failed is on its way
    Object.defineProperty(this, 'sink', { value: sink, enumerable: false });
    Object.defineProperty(this, 'ended', { value: false, writable: true, enumerable: false });
    this.#emit = emit;
  }

  /** Aborted when the client cancels the job or the worker shuts the process down. */
  get signal() {
    return this.#controller.signal;
  }

  /** Whether {@link signal} has aborted. */
  get cancelled() {
    return this.#controller.signal.aborted;
  }

  /**
   * Calls `listener(reason)` once when the job is cancelled: at once if it already was.
   * @param {(reason: JobCancelledError) => void} listener
   * @returns {() => void} removes the listener
   */
  onCancel(listener) {
    const signal = this.#controller.signal;
    if (signal.aborted) {
      queueMicrotask(() => listener(signal.reason));
      return () => {};
    }
    const handler = () => listener(signal.reason);
    signal.addEventListener('abort', handler, { once: true });
    return () => signal.removeEventListener('abort', handler);
  }

  /** Throws the cancel reason when the job was cancelled: a cheap check in a loop. */
  throwIfCancelled() {
    this.#controller.signal.throwIfAborted();
  }

  /**
   * Sends one output event to the job's clients.
   * @param {unknown} data any JSON value
   * @throws {TypeError} when `data` is not JSON
   * @throws {RangeError} when its frame would be over 1 MiB
   */
  output(data) {
    if (this.ended) {
      if (!this.#warnedLate) {
        this.#warnedLate = true;
        process.emitWarning(`job ${this.jobId} has ended: its later outputs are dropped`, 'WarmpoolWarning');
      }
      return;
    }
    const text = toJsonText(data === undefined ? null : data, 'the output');
    this.#emit(frameWith({ type: 'output', jobId: this.jobId }, 'data', text, 'an output'), data);
  }

  /** @internal */
  abort(reason) {
    this.#controller.abort(reason);
  }
}
