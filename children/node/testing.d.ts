/**
 * Run a warmpool job in-process, without a worker, in the job's own unit tests.
 * @packageDocumentation
 */
import type { JobDefinition, JobId, JsonValue, LogLevel } from './index.js';

/** A log record as the job made it. */
export interface LogRecord {
  level: LogLevel;
  message: string;
  fields: Record<string, JsonValue>;
  /** Present for records made while the job ran; absent for prewarm's. */
  jobId?: JobId;
}

interface OutcomeBase {
  /** The outputs, in order, as a client receives them (through JSON). */
  outputs: JsonValue[];
  /** Prewarm's records (when `runJob` ran it) then the job's. */
  logs: LogRecord[];
  /** Whether the job was cancelled through `settings.signal`. */
  cancelled: boolean;
}

/** How a job ended: `ok` with a result, or not with the error the worker would report. */
export type JobOutcome =
  | (OutcomeBase & { ok: true; result: JsonValue })
  | (OutcomeBase & {
      ok: false;
      /** What the job threw (or the TypeError/RangeError for a bad result). */
      error: unknown;
      /** The `error` text of the `failed` frame: `"Name: message"`. */
      errorText: string;
    });

export interface RunJobSettings<State = unknown> {
  /** Prewarm's options, as the worker's `child.options` (default `{}`). */
  options?: Record<string, JsonValue>;
  /** Prewarm's result; when given, prewarm is not run (prewarm once, run many jobs). */
  state?: State;
  /** Aborting it cancels the job, as a client's cancel does. */
  signal?: AbortSignal;
  /** The grace a cancel announces, in ms (default 5000). */
  graceMs?: number;
  /** The job's id (default `"test-job"`). */
  jobId?: JobId;
  /** Called on each output, e.g. to cancel after the first one. */
  onOutput?(data: JsonValue, index: number): void;
  /** Called on each log record. */
  onLog?(record: LogRecord): void;
}

/**
 * Runs `definition.prewarm` (unless `settings.state` is given), then `definition.job` with
 * `payload`, and returns what it sent. A result that is not JSON or over the 1 MiB frame
 * limit fails the job here as in a worker. Rejects only for a prewarm that throws.
 */
export declare function runJob<State, Payload, Result>(
  definition: JobDefinition<State, Payload, Result>,
  payload?: Payload,
  settings?: RunJobSettings<State>,
): Promise<JobOutcome>;

/** Runs `definition.prewarm(options)` alone: its state and the records it logged. */
export declare function prewarm<State>(
  definition: JobDefinition<State, any, any>,
  options?: Record<string, JsonValue>,
): Promise<{ state: State; logs: LogRecord[] }>;
