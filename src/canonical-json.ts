/**
 * The one canonical JSON form (RFC 8785, JSON Canonicalization Scheme, through the `canonicalize`
 * package): object keys sorted by UTF-16 code units at every level, no whitespace, numbers and strings
 * as ECMAScript serialises them. Members whose value is undefined are left out, as JSON.stringify does;
 * undefined alone is `null`. Used wherever a hash must not depend on key order: idempotency request
 * hashes, rule-set content versions and the audit chain.
 *
 * canonicalize 2.x is the package's last CommonJS line (3.x and later are ES modules only, which jest
 * cannot load); the algorithm is the RFC's and does not change between them.
 */
import canonicalize from 'canonicalize';

export function canonicalJson(value: unknown): string {
  return canonicalize(value) ?? 'null';
}
