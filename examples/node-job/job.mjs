// A warmpool job in Node: factorises numbers with a table of primes built once per process.
//
// The "model" is the prime table: building it costs a noticeable moment at start-up, which a
// warm pool pays once per process instead of once per job. The job streams one output per
// number, stops when it is cancelled, and returns a summary.
import { realpathSync } from 'node:fs';
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { log, run } from 'warmpool-child';

/** The primes up to `limit`, by the sieve of Eratosthenes. */
export function primesUpTo(limit) {
  const composite = new Uint8Array(limit + 1);
  const primes = [];
  for (let n = 2; n <= limit; n++) {
    if (composite[n] === 0) {
      primes.push(n);
      for (let multiple = n * n; multiple <= limit; multiple += n) {
        composite[multiple] = 1;
      }
    }
  }
  return primes;
}

/** The prime factors of `n` in ascending order, using `primes` (all primes up to √n at least). */
function factorise(n, primes) {
  const factors = [];
  let rest = n;
  for (const p of primes) {
    if (p * p > rest) {
      break;
    }
    while (rest % p === 0) {
      factors.push(p);
      rest /= p;
    }
  }
  if (rest > 1) {
    factors.push(rest); // what is left has no factor up to its square root: a prime
  }
  return factors;
}

function checkPayload(payload, largest) {
  const { numbers, delayMs = 0 } = payload;
  if (!Array.isArray(numbers) || numbers.length === 0) {
    throw new TypeError('payload.numbers must be a non-empty array of integers, e.g. {"numbers":[12,97]}');
  }
  numbers.forEach((n, i) => {
    if (!Number.isSafeInteger(n) || n < 2) {
      throw new TypeError(`payload.numbers[${i}] must be an integer >= 2, not ${JSON.stringify(n)}`);
    }
    if (n > largest * largest) {
      throw new RangeError(
        `payload.numbers[${i}] = ${n} is over ${largest * largest}, the largest this worker's prime table ` +
        `can factorise (raise child.options.maxPrime)`);
    }
  });
  if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 60_000) {
    throw new TypeError(`payload.delayMs must be an integer from 0 to 60000, not ${JSON.stringify(delayMs)}`);
  }
  return { numbers, delayMs };
}

const definition = {
  /** Once per process, with the worker's child.options. */
  async prewarm(options) {
    const maxPrime = options.maxPrime ?? 1_000_000;
    const started = performance.now();
    const primes = primesUpTo(maxPrime);
    log.info('prime table built', {
      maxPrime,
      primes: primes.length,
      largest: primes.at(-1),
      ms: Math.round(performance.now() - started),
    });
    return { primes };
  },

  /** Once per job: {"numbers": [12, 97, …], "delayMs": 0}. */
  async job(payload, ctx) {
    const { primes } = ctx.state;
    const { numbers, delayMs } = checkPayload(payload, primes.at(-1));
    ctx.log.info('factorising', { count: numbers.length });
    let done = 0;
    for (const [index, number] of numbers.entries()) {
      if (ctx.cancelled) {
        // the client has been told the job is cancelled: just stop, nothing more is read
        ctx.log.warn('cancelled', { done, of: numbers.length });
        return { done, cancelled: true };
      }
      const factors = factorise(number, primes);
      ctx.output({ index, number, factors, prime: factors.length === 1 });
      done++;
      // Await between numbers: the event loop answers the worker's pings and sees a cancel.
      // A delay makes the stream visible by hand; a cancel cuts it short.
      if (delayMs > 0) {
        await sleep(delayMs, undefined, { signal: ctx.signal }).catch(() => {});
      } else {
        await yieldToEventLoop();
      }
    }
    return { done, primesKnown: primes.length };
  },
};

export default definition;

// Started by the worker (`node job.mjs`): become its child. Imported by a test: only export
// the definition, which the test runs with warmpool-child/testing.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run(definition);
}
