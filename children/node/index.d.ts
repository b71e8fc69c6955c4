/**
 * warmpool-child: write a warmpool job in Node as two functions, a prewarm and a job.
 * @packageDocumentation
 */

/** Any value JSON can carry. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A job's id, echoed exactly as the worker sent it (the worker's are strings). */
export type JobId = string | number;

/** The level of a log record. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Emits log records. The worker logs each one at its level with the child's pid and the job
 * id, and streams it as a `log` event to clients that submitted with `"logs": true`.
 * Logging never throws for its fields: values that are not JSON are described instead.
 */
export interface Logger {
  /** Emits a record at `level`; throws a TypeError for an unknown level. */
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * The module-level logger. Inside a job (however deep, across `await`) its records carry the
 * running job's id, found through `AsyncLocalStorage`; in prewarm or at module level they
 * carry none.
 */
export declare const log: Logger;

/** The reason `ctx.signal` aborts with. */
export declare class JobCancelledError extends Error {
  name: 'JobCancelledError';
  /** `"cancel"`: the client cancelled the job; `"shutdown"`: the worker stops the process. */
  readonly trigger: 'cancel' | 'shutdown';
  /** For a cancel: milliseconds before the worker shuts the process down. */
  readonly graceMs: number | undefined;
}

/** What a job is given besides its payload. */
export interface JobContext<State = unknown> {
  /** The job's id, as the worker sent it. */
  readonly jobId: JobId;
  /** What `prewarm` returned (`undefined` without a prewarm). */
  readonly state: State;
  /** The options `prewarm` was given: the worker's `child.options`. */
  readonly options: Record<string, JsonValue>;
  /**
   * Aborted when the client cancels the job (`reason.trigger === "cancel"`) or the worker
   * shuts the process down (`"shutdown"`). Pass it to `fetch`, timers and streams, or check
   * it in loops. After a cancel the client has already been told `cancelled`: what the job
   * still sends is dropped, and the process is stopped after `reason.graceMs`.
   */
  readonly signal: AbortSignal;
  /** Whether `signal` has aborted. */
  readonly cancelled: boolean;
  /** Calls `listener` once on cancel (at once if already cancelled); returns a remover. */
  onCancel(listener: (reason: JobCancelledError) => void): () => void;
  /** Throws the cancel reason when the job was cancelled. */
  throwIfCancelled(): void;
  /**
   * Sends one `output` event to the job's clients. Throws a TypeError when `data` is not
   * JSON (a BigInt, a function, a Map, a cycle…) and a RangeError when its frame would be
   * over 1 MiB; uncaught, either fails the job. After the job has ended it does nothing.
   */
  output(data: unknown): void;
  /** A logger whose records carry this job's id. */
  readonly log: Logger;
}

/** What `run` takes. */
export interface JobDefinition<State = unknown, Payload = any, Result = unknown> {
  /**
   * Runs once per process, before its first job, with the worker's `child.options`; what it
   * returns (or resolves to) is every job's `ctx.state`. A throw sends `initFailed` and the
   * process exits. Keep it asynchronous or short: while it blocks the event loop, pings go
   * unanswered.
   */
  prewarm?(options: Record<string, JsonValue>): State | Promise<State>;
  /**
   * Runs one job. What it returns (or resolves to) is the job's result and must be JSON
   * (`undefined` becomes `null`); a throw fails the job with `"Name: message"`.
   */
  job(payload: Payload, ctx: JobContext<State>): Result | Promise<Result>;
}

/**
 * Runs this process as a warmpool child: connects to the worker that started it (from
 * `WARMPOOL_IPC_PORT` and `WARMPOOL_IPC_TOKEN`), runs `prewarm` once, then jobs one at a
 * time until the worker shuts the process down or goes away. Started by hand without those
 * variables, it prints what is missing and exits with status 2.
 */
export declare function run<State = unknown, Payload = any, Result = unknown>(
  definition: JobDefinition<State, Payload, Result>,
): void;

/** Largest protocol frame in bytes (1 MiB), not counting its newline. */
export declare const MAX_FRAME_BYTES: number;

/** This package's version, reported in `hello`. */
export declare const VERSION: string;
