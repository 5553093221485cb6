import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { AddressPolicy, forbiddenAddress, forbiddenHost } from '../address-guard';

/** Every address a name resolves to (the worker's: getaddrinfo, as the OS would connect). Injectable for tests. */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * The texts the delivery log may show (docs/security/webhooks-ssrf.md). They never carry an errno, a host or a
 * port, so the log cannot be used to tell closed from filtered ports or to map names inside the network.
 */
export const DeliveryError = {
  ADDRESS_NOT_ALLOWED: 'address not allowed',
  CONNECTION_FAILED: 'connection failed',
  timedOut: (timeoutMs: number) => `timed out after ${timeoutMs} ms`,
  http: (status: number) => `HTTP ${status}`,
} as const;

const NOT_ALLOWED = 'EWEBHOOKADDRESS';

function addressNotAllowed(): NodeJS.ErrnoException {
  return Object.assign(new Error(DeliveryError.ADDRESS_NOT_ALLOWED), { code: NOT_ALLOWED });
}

/**
 * The `lookup` of the delivery socket: resolves the name once, refuses the whole answer when any address in it is
 * forbidden (or there is none, or resolution fails: to the log all of these are "address not allowed"), and hands
 * the socket exactly the addresses it checked. Check and connect use one resolution, so a DNS answer that changes
 * between them (rebinding) cannot move the connection to an internal address.
 */
export function pinnedLookup(policy: AddressPolicy, resolve: Resolve): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 ? 6 : 0;
    resolve(hostname).then(
      (answer) => {
        const usable = answer.filter((a) => family === 0 || a.family === family);
        if (usable.length === 0 || answer.some((a) => forbiddenAddress(a.address, policy) !== null)) {
          callback(addressNotAllowed(), '');
        } else if (options.all) {
          callback(null, usable);
        } else {
          callback(null, usable[0].address, usable[0].family);
        }
      },
      () => callback(addressNotAllowed(), ''),
    );
  };
}

export interface PostOutcome {
  ok: boolean;
  statusCode: number | null;
  /** For the delivery log: one of DeliveryError's texts. */
  error: string | null;
  durationMs: number;
  /** For the operator's log only (the socket's error code), never stored where a tenant reads. */
  detail?: string;
}

/**
 * POSTs to a webhook receiver over a fresh connection (no pooled socket from another endpoint), to an address the
 * guard allows, following no redirect (a 3xx is a failed delivery: `HTTP 302`), and reads nothing of the answer
 * but its status.
 */
export function guardedPost(
  target: string,
  message: { headers: Record<string, string>; body: string },
  opts: { timeoutMs: number; policy: AddressPolicy; resolve?: Resolve },
): Promise<PostOutcome> {
  const started = performance.now();
  const outcome = (o: Omit<PostOutcome, 'durationMs'>): PostOutcome => ({
    ...o,
    durationMs: Math.round(performance.now() - started),
  });
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return Promise.resolve(
      outcome({ ok: false, statusCode: null, error: DeliveryError.ADDRESS_NOT_ALLOWED }),
    );
  }
  const request = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : null;
  if (!request || forbiddenHost(url.hostname, opts.policy) !== null) {
    return Promise.resolve(
      outcome({ ok: false, statusCode: null, error: DeliveryError.ADDRESS_NOT_ALLOWED }),
    );
  }
  return new Promise((resolvePromise) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), opts.timeoutMs);
    let settled = false;
    const settle = (o: Omit<PostOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise(outcome(o));
    };
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...message.headers, 'content-length': String(Buffer.byteLength(message.body)) },
        // IP literals never reach `lookup`; forbiddenHost judged them above.
        lookup: pinnedLookup(opts.policy, opts.resolve ?? systemResolve),
        agent: false,
        signal: controller.signal,
      },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        // The answer's body is not kept (it could hold anything); release the connection.
        res.destroy();
        const ok = status >= 200 && status < 300;
        settle({ ok, statusCode: status, error: ok ? null : DeliveryError.http(status) });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      const text = controller.signal.aborted
        ? DeliveryError.timedOut(opts.timeoutMs)
        : error.code === NOT_ALLOWED
          ? DeliveryError.ADDRESS_NOT_ALLOWED
          : DeliveryError.CONNECTION_FAILED;
      settle({ ok: false, statusCode: null, error: text, detail: error.code ?? error.name });
    });
    req.end(message.body);
  });
}
