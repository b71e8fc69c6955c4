/**
 * Framing and JSON rules of the child protocol: one JSON object per line, UTF-8, each frame at
 * most 1 MiB without its newline. Internal to warmpool-child.
 * @module
 */

/** Largest frame in bytes of UTF-8, not counting the `\n` (both directions). */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** Largest `error` text of `failed`/`initFailed`, in characters, as the Java child keeps it. */
export const MAX_ERROR_CHARS = 8 * 1024;

const NEWLINE = 0x0a;

/** A frame the worker sent that breaks the protocol; the child answers it with exit status 3. */
export class ProtocolError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/**
 * Splits a byte stream into frames, however the socket cuts it: a frame may come in several
 * chunks, and one chunk may hold several frames. A line is only decoded once it is complete,
 * so a multi-byte UTF-8 character split between chunks is never mangled.
 */
export class FrameReader {
  #pending = [];
  #pendingBytes = 0;
  #decoder = new TextDecoder('utf-8', { fatal: true });

  /**
   * Takes one chunk; returns the messages completed by it, in order.
   * @param {Buffer} chunk
   * @returns {object[]}
   * @throws {ProtocolError} for a frame over the limit or not a JSON object
   */
  push(chunk) {
    const messages = [];
    let start = 0;
    let newline;
    while ((newline = chunk.indexOf(NEWLINE, start)) !== -1) {
      const piece = chunk.subarray(start, newline);
      this.#checkLength(this.#pendingBytes + piece.length);
      const line = this.#pendingBytes === 0 ? piece : Buffer.concat([...this.#pending, piece]);
      this.#pending = [];
      this.#pendingBytes = 0;
      messages.push(this.#parse(line));
      start = newline + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      // Checked before the newline arrives, so a peer that never ends its line cannot make
      // this process buffer without bound.
      this.#checkLength(this.#pendingBytes + rest.length);
      this.#pending.push(rest);
      this.#pendingBytes += rest.length;
    }
    return messages;
  }

  #checkLength(bytes) {
    if (bytes > MAX_FRAME_BYTES) {
      throw new ProtocolError(`a frame is longer than ${MAX_FRAME_BYTES} bytes`);
    }
  }

  #parse(line) {
    let text;
    let value;
    try {
      text = this.#decoder.decode(line);
    } catch {
      throw new ProtocolError('a frame is not valid UTF-8');
    }
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new ProtocolError(`a frame is not JSON (${e.message}): ${preview(text)}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ProtocolError(`a frame is not a JSON object: ${preview(text)}`);
    }
    if (typeof value.type !== 'string') {
      throw new ProtocolError(`a frame has no string "type": ${preview(text)}`);
    }
    return value;
  }
}

function preview(text) {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/**
 * Strict JSON text of a value the job hands over (a result or an output's data).
 *
 * `JSON.stringify` alone loses data silently: a function or a Symbol vanishes, NaN becomes
 * null, a Map or a class instance becomes `{}`. A job's result must not change on its way to
 * the client, so each of those is an error here naming where it sits (`$.rows[3].id`). Values
 * with a `toJSON` method (Date, Buffer, a class that defines one) are serialised by it, and
 * object properties whose value is `undefined` are left out, as `JSON.stringify` does.
 *
 * @param {unknown} value
 * @param {string} what what the value is, for the message ("the job's result")
 * @returns {string}
 * @throws {TypeError} naming the first value that is not JSON, or a cycle
 */
export function toJsonText(value, what) {
  const paths = new WeakMap();
  const replacer = function (key, current) {
    const parent = paths.get(this);
    const path = parent === undefined ? '$' : parent + accessor(this, key);
    switch (typeof current) {
      case 'string':
      case 'boolean':
        return current;
      case 'number':
        if (!Number.isFinite(current)) {
          throw new TypeError(`${what} is not JSON: ${current} at ${path} (JSON has no NaN or Infinity)`);
        }
        return current;
      case 'bigint':
        throw new TypeError(`${what} is not JSON: a BigInt at ${path} (convert it to a string or a Number)`);
      case 'function':
        throw new TypeError(`${what} is not JSON: a function at ${path}`);
      case 'symbol':
        throw new TypeError(`${what} is not JSON: a Symbol at ${path}`);
      case 'undefined':
        if (parent === undefined || Array.isArray(this)) {
          // a whole result of undefined is mapped to null before this; in an array JSON would
          // turn it into null, which the job did not say
          throw new TypeError(`${what} is not JSON: undefined at ${path}`);
        }
        return current; // an object property: left out, as JSON.stringify does
      default: {
        if (current === null) {
          return null;
        }
        const proto = Object.getPrototypeOf(current);
        if (!Array.isArray(current) && proto !== Object.prototype && proto !== null) {
          const kind = current.constructor?.name ? `a ${current.constructor.name}` : 'an object with a prototype';
          throw new TypeError(
            `${what} is not JSON: ${kind} at ${path} (use plain objects and arrays, or give the class a toJSON method)`);
        }
        paths.set(current, path);
        return current;
      }
    }
  };
  try {
    return JSON.stringify(value, replacer);
  } catch (e) {
    if (e instanceof TypeError && /circular/i.test(e.message)) {
      throw new TypeError(`${what} is not JSON: it holds a cycle (${e.message.split('\n')[0]})`);
    }
    throw e;
  }
}

function accessor(holder, key) {
  if (Array.isArray(holder)) {
    return `[${key}]`;
  }
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * A frame's text (without the newline) with a JSON text already made by {@link toJsonText}
 * spliced in as its last field, checked against the frame limit.
 * @param {object} head the message's other fields, all plain JSON
 * @param {string} field
 * @param {string} jsonText
 * @param {string} what for the message
 * @returns {string}
 * @throws {RangeError} when the frame would be over {@link MAX_FRAME_BYTES}
 */
export function frameWith(head, field, jsonText, what) {
  const prefix = JSON.stringify(head);
  const frame = `${prefix.slice(0, -1)},${JSON.stringify(field)}:${jsonText}}`;
  const bytes = Buffer.byteLength(frame);
  if (bytes > MAX_FRAME_BYTES) {
    throw new RangeError(
      `${what} is ${formatBytes(bytes)} of JSON, over the protocol's frame limit of 1 MiB ` +
      `(${MAX_FRAME_BYTES} bytes): send less, in several outputs, or store it elsewhere and send a reference`);
  }
  return frame;
}

function formatBytes(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(2)} MiB (${bytes} bytes)` : `${bytes} bytes`;
}

/**
 * The one-line `error` text for `failed` and `initFailed`: `"Name: message"`, with the root
 * cause appended when there is one, at most {@link MAX_ERROR_CHARS} characters.
 * @param {unknown} error what the job threw
 * @returns {string}
 */
export function errorText(error) {
  let text = describe(error);
  let root = error;
  const seen = new Set();
  while (root instanceof Error && root.cause !== undefined && !seen.has(root.cause)) {
    seen.add(root);
    root = root.cause;
  }
  if (root !== error) {
    text += ` (caused by ${describe(root)})`;
  }
  text = text.replace(/\s*[\r\n]+\s*/g, ' ');
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 3)}...` : text;
}

function describe(error) {
  if (error instanceof Error) {
    const name = error.name || error.constructor?.name || 'Error';
    return error.message ? `${name}: ${error.message}` : name;
  }
  let shown;
  try {
    shown = typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
  } catch {
    shown = String(error);
  }
  return `Error: a non-Error value was thrown: ${shown}`;
}

/**
 * JSON text of a log record's fields, forgiving where {@link toJsonText} is strict: a log call
 * should show what it was given, not fail. A BigInt becomes its decimal string, an Error its
 * `"Name: message"` text; the rest is what `JSON.stringify` makes of it.
 * @param {object} fields
 * @returns {string}
 * @throws {TypeError} for a cycle
 */
export function looseJsonText(fields) {
  return JSON.stringify(fields, (key, value) => {
    if (typeof value === 'bigint') {
      return value.toString();
    }
    if (value instanceof Error) {
      return errorText(value);
    }
    return value;
  });
}
