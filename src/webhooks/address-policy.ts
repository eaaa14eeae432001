import ipaddr from 'ipaddr.js';
import type { Config } from '../config';
import { DomainError } from '../errors';

/**
 * Where Saring may send webhooks. A receiver must be on a public address: global unicast IPv4, or
 * global unicast IPv6 (2000::/3). Loopback, private, carrier-grade NAT, link-local (169.254.0.0/16, the
 * cloud metadata service), unique-local, multicast, unspecified, reserved and documentation ranges, and
 * IPv6 forms that carry an IPv4 address (mapped, translated, 6to4, Teredo, NAT64), are refused unless the
 * operator allows them: `WEBHOOK_ALLOWED_HOSTS` (host names, for on-premise receivers) or
 * `WEBHOOK_ALLOWED_CIDRS` (networks). The same policy is applied twice: to the URL when a subscription is
 * registered or changed, and to every address the receiver's name resolves to when a delivery connects
 * (see connect.ts), so a name that resolves elsewhere later (DNS rebinding) gains nothing.
 */
export interface AddressPolicy {
  allowedHosts: ReadonlySet<string>;
  allowedNetworks: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
}

export function addressPolicyOf(config: Pick<Config, 'WEBHOOK_ALLOWED_HOSTS' | 'WEBHOOK_ALLOWED_CIDRS'>): AddressPolicy {
  return {
    allowedHosts: new Set(config.WEBHOOK_ALLOWED_HOSTS.map(normaliseHost)),
    allowedNetworks: config.WEBHOOK_ALLOWED_CIDRS.map((cidr) => ipaddr.parseCIDR(cidr)),
  };
}

/** A URL's host as compared: lower case, without IPv6 brackets or a trailing dot. */
export function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/** Why an address is not public, in words an admin reads (both languages). */
const rangeText: Record<string, { en: string; id: string }> = {
  loopback: { en: 'a loopback address', id: 'alamat loopback' },
  private: { en: 'a private network address', id: 'alamat jaringan privat' },
  carrierGradeNat: { en: 'a carrier-grade NAT address', id: 'alamat NAT operator (CGNAT)' },
  linkLocal: { en: 'a link-local address (such as the cloud metadata service)', id: 'alamat link-local (seperti layanan metadata cloud)' },
  uniqueLocal: { en: 'a unique-local (private) IPv6 address', id: 'alamat IPv6 unique-local (privat)' },
  multicast: { en: 'a multicast address', id: 'alamat multicast' },
  broadcast: { en: 'the broadcast address', id: 'alamat broadcast' },
  unspecified: { en: 'the unspecified address', id: 'alamat tak tertentu (unspecified)' },
  localName: { en: 'a name for this machine (localhost)', id: 'nama untuk mesin ini (localhost)' },
};
const otherRange = { en: 'a reserved or special-purpose address', id: 'alamat cadangan atau untuk keperluan khusus' };

export interface AddressRefusal {
  /** The address (or name) refused and the kind of range it is in. */
  address: string;
  range: string;
  text: { en: string; id: string };
}

/**
 * Whether the policy lets Saring connect to `address` (an IP address as DNS or the URL gives it) for a
 * receiver named `host`. Null when allowed; otherwise why not.
 */
export function refusalOf(policy: AddressPolicy, address: string, host: string): AddressRefusal | null {
  if (policy.allowedHosts.has(normaliseHost(host))) return null;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // process() turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 address it is.
    parsed = ipaddr.process(normaliseHost(address));
  } catch {
    return { address, range: 'invalid', text: otherRange };
  }
  if (policy.allowedNetworks.some(([network, bits]) => network.kind() === parsed.kind() && parsed.match(network, bits))) return null;
  const range = parsed.range();
  // Only global unicast is public; for IPv6 also only inside 2000::/3, which leaves out the IPv4-compatible
  // ::/96 (that ipaddr.js counts as unicast) and every range IANA has not given out.
  const global = range === 'unicast' && (parsed.kind() === 'ipv4' || parsed.match(ipaddr.parseCIDR('2000::/3')));
  if (global) return null;
  const named = range === 'unicast' ? 'notGlobalUnicast' : range;
  return { address: parsed.toString(), range: named, text: rangeText[named] ?? otherRange };
}

/**
 * The registration-time check of a receiver URL (already a valid http(s) URL): a host that is an IP
 * address, in any spelling the URL parser accepts (127.1, 2130706433, 0x7f.1, [::ffff:127.0.0.1]: it
 * normalises them all), must be allowed; `localhost` and `*.localhost` always name this machine. Any other
 * name is checked when a delivery connects, against every address it then resolves to.
 */
export function receiverUrlRefusal(policy: AddressPolicy, url: string): AddressRefusal | null {
  const host = normaliseHost(new URL(url).hostname);
  if (policy.allowedHosts.has(host)) return null;
  if (ipaddr.isValid(host)) return refusalOf(policy, host, host);
  if (host === 'localhost' || host.endsWith('.localhost')) return { address: host, range: 'localName', text: rangeText.localName! };
  return null;
}

/** Refuses, with 422 and a message in both languages, a receiver URL the policy does not allow. */
export function assertReceiverUrlAllowed(policy: AddressPolicy, url: string): void {
  const refusal = receiverUrlRefusal(policy, url);
  if (!refusal) return;
  const message = {
    en: `The receiver address is not allowed: ${refusal.address} is ${refusal.text.en}. Webhooks are sent only to public addresses unless the operator allows the host (WEBHOOK_ALLOWED_HOSTS) or its network (WEBHOOK_ALLOWED_CIDRS).`,
    id: `Alamat penerima tidak diizinkan: ${refusal.address} adalah ${refusal.text.id}. Webhook hanya dikirim ke alamat publik, kecuali operator mengizinkan host-nya (WEBHOOK_ALLOWED_HOSTS) atau jaringannya (WEBHOOK_ALLOWED_CIDRS).`,
  };
  throw new DomainError('UNPROCESSABLE', message.en, [
    { path: 'url', code: 'receiver_address_not_allowed', message: message.en, messages: message, address: refusal.address, range: refusal.range },
  ]);
}
