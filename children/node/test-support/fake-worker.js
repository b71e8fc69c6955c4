/**
 * A stand-in for the warmpool worker: a TCP server on 127.0.0.1 that starts one real child
 * process, checks its hello and lets a test drive the protocol frame by frame.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const FIXTURE = fileURLToPath(new URL('./fixture-child.mjs', import.meta.url));

export class FakeWorker {
  /** @type {object[]} messages received and not yet taken */
  #inbox = [];
  #waiters = [];
  #buffered = '';
  stderr = '';
  stdout = '';

  /**
   * Starts the server and the child (by default the test fixture) and waits for its hello.
   * @param {{ script?: string, args?: string[], env?: object, token?: string }} [settings]
   */
  static async start(settings = {}) {
    const worker = new FakeWorker();
    await worker.#start(settings);
    return worker;
  }

  async #start({ script = FIXTURE, args = [], env = {}, token = 'secret-token' }) {
    this.token = token;
    this.server = net.createServer();
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const connection = once(this.server, 'connection');
    this.child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, ...env, WARMPOOL_IPC_PORT: String(this.server.address().port), WARMPOOL_IPC_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout.setEncoding('utf8').on('data', (text) => { this.stdout += text; });
    this.child.stderr.setEncoding('utf8').on('data', (text) => { this.stderr += text; });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => resolve({ code, signal }));
    });
    const [socket] = await Promise.race([
      connection,
      this.exited.then(({ code }) => { throw new Error(`the child exited (${code}) before connecting: ${this.stderr}`); }),
    ]);
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (text) => this.#onData(text));
    socket.on('error', () => {});
    socket.on('close', () => this.#deliver({ type: '<closed>' }));
    this.server.close(); // one child, one connection
  }

  #onData(text) {
    this.#buffered += text;
    let newline;
    while ((newline = this.#buffered.indexOf('\n')) !== -1) {
      const line = this.#buffered.slice(0, newline);
      this.#buffered = this.#buffered.slice(newline + 1);
      this.#deliver(JSON.parse(line));
    }
  }

  #deliver(message) {
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter(message);
    } else {
      this.#inbox.push(message);
    }
  }

  /**
   * The next message from the child (of `type` when given: others before it are skipped
   * only if `skip` lists their types, else the test fails on them).
   * @param {string} [type]
   * @param {{ timeoutMs?: number, skip?: string[] }} [settings]
   */
  async next(type, { timeoutMs = 3000, skip = [] } = {}) {
    for (;;) {
      const message = await this.#take(timeoutMs, type);
      if (type === undefined || message.type === type) {
        return message;
      }
      if (!skip.includes(message.type)) {
        throw new Error(`expected a ${type} frame, got ${JSON.stringify(message)}; child stderr: ${this.stderr}`);
      }
    }
  }

  #take(timeoutMs, type) {
    if (this.#inbox.length > 0) {
      return Promise.resolve(this.#inbox.shift());
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(deliver), 1);
        reject(new Error(`no ${type ?? 'frame'} within ${timeoutMs} ms; child stderr: ${this.stderr}`));
      }, timeoutMs);
      const deliver = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
      this.#waiters.push(deliver);
    });
  }

  /** Messages received and not yet taken. */
  get pending() {
    return [...this.#inbox];
  }

  send(message) {
    this.sendRaw(`${JSON.stringify(message)}\n`);
  }

  sendRaw(data) {
    this.socket.write(data);
  }

  /** Takes hello, sends initialize and returns the answer (ready or initFailed). */
  async initialize(options = {}) {
    this.hello = await this.next('hello');
    this.send({ type: 'initialize', entrypoint: '', options });
    return this.next(undefined);
  }

  /** Sends start and takes started. */
  async startJob(jobId, payload) {
    this.send({ type: 'start', jobId, payload });
    const started = await this.next('started', { skip: ['log'] });
    return started;
  }

  /** Waits for the child's exit, failing after `timeoutMs`. */
  async exit(timeoutMs = 3000) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the child did not exit within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the child (if still alive) and the connection. */
  async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    this.socket?.destroy();
    this.server.close();
  }
}
