import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { AppDependencies } from '../deps';
import { addressPolicyOf, normaliseHost, refusalOf, type AddressPolicy } from './address-policy';

/** Resolves a host name to every address it has (the system resolver unless the composition root gives another). */
export type HostResolver = NonNullable<AppDependencies['resolveHost']>;

const systemResolver: HostResolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** What a delivery attempt tells the admin. Network failures are all one text, so they reveal nothing of a port's state. */
export const RECEIVER_UNREACHABLE = 'receiver unreachable';
export const ADDRESS_NOT_ALLOWED = 'receiver address not allowed by the webhook address policy';

/** The error a refused address raises inside the connection, before any packet is sent to it. */
class AddressRefused extends Error {
  readonly code = 'ERR_WEBHOOK_ADDRESS_REFUSED';
}

/**
 * A `lookup` for the sockets of webhook deliveries: resolves the name, checks every address it has
 * against the policy and refuses the name when any one is not allowed; otherwise hands the socket only
 * the addresses it checked, so it connects to a checked address and nothing else (a second DNS answer
 * cannot slip in between the check and the connection).
 */
export function guardedLookup(policy: AddressPolicy, resolve: HostResolver): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolve(hostname).then(
      (found) => {
        const refused = found.map((entry) => refusalOf(policy, entry.address, hostname)).find(Boolean);
        if (refused) return callback(new AddressRefused(`${hostname} resolves to ${refused.address}, ${refused.text.en}`), '', 0);
        const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
        const usable: LookupAddress[] = found.filter((entry) => family === 0 || entry.family === family).map(({ address, family }) => ({ address, family }));
        if (usable.length === 0) {
          return callback(Object.assign(new Error(`${hostname} has no usable address`), { code: 'ENOTFOUND' }), '', 0);
        }
        if (options.all) return callback(null, usable);
        callback(null, usable[0]!.address, usable[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

export interface ReceiverConnector {
  policy: AddressPolicy;
  /** POSTs the body; never throws. `cause` is for the operator's log, `error` for the admin. */
  post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<Outcome>;
}

export type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string; cause: string };

/** A connector whose http and https agents look names up through the guarded lookup. */
export function receiverConnector(policy: AddressPolicy, resolve: HostResolver = systemResolver): ReceiverConnector {
  const lookup = guardedLookup(policy, resolve);
  const agents = { 'http:': new http.Agent({ lookup }), 'https:': new https.Agent({ lookup }) };

  return {
    policy,
    post(url, body, headers, timeoutMs) {
      const target = new URL(url);
      // A host written as an address is connected to without a lookup (net.connect skips it for what
      // net.isIP accepts): check it here, before any socket exists.
      const host = normaliseHost(target.hostname);
      const literal = isIP(host) !== 0 ? refusalOf(policy, host, host) : null;
      if (literal) return Promise.resolve({ ok: false, status: null, error: ADDRESS_NOT_ALLOWED, cause: `${literal.address}: ${literal.range}` });
      const agent = target.protocol === 'https:' ? agents['https:'] : target.protocol === 'http:' ? agents['http:'] : null;
      if (!agent) return Promise.resolve({ ok: false, status: null, error: RECEIVER_UNREACHABLE, cause: `unsupported protocol ${target.protocol}` });

      return new Promise<Outcome>((resolve) => {
        let settled = false;
        const settle = (outcome: Outcome) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(outcome);
        };
        const request = (target.protocol === 'https:' ? https : http).request(target, {
          method: 'POST',
          agent,
          headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        });
        // One deadline for the lookup, the connection and the answer's status line.
        const timer = setTimeout(() => {
          settle({ ok: false, status: null, error: RECEIVER_UNREACHABLE, cause: `no answer within ${timeoutMs} ms` });
          request.destroy();
        }, timeoutMs);
        request.on('response', (response) => {
          const status = response.statusCode ?? 0;
          settle(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `receiver answered ${status}`, cause: `status ${status}` });
          // The answer's body is not needed: closing the connection frees it.
          request.destroy();
        });
        request.on('error', (error: NodeJS.ErrnoException) => {
          const refused = error instanceof AddressRefused || error.code === 'ERR_WEBHOOK_ADDRESS_REFUSED';
          settle({ ok: false, status: null, error: refused ? ADDRESS_NOT_ALLOWED : RECEIVER_UNREACHABLE, cause: (error.code ?? error.message ?? 'error').slice(0, 200) });
        });
        request.end(body);
      });
    },
  };
}

const connectors = new WeakMap<AppDependencies, ReceiverConnector>();

/** The process's connector for these dependencies (built once: its agents are reused). */
export function connectorFor(deps: AppDependencies): ReceiverConnector {
  let connector = connectors.get(deps);
  if (!connector) {
    connector = receiverConnector(addressPolicyOf(deps.config), deps.resolveHost ?? systemResolver);
    connectors.set(deps, connector);
  }
  return connector;
}
