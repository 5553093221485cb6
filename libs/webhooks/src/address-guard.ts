import ipaddr from 'ipaddr.js';

/**
 * Which network addresses a webhook may be sent to (docs/security/webhooks-ssrf.md): public unicast only, so an
 * endpoint URL can never make the worker call the metadata service, the database or anything else inside.
 * Loopback only when `allowLoopback` (WEBHOOK_ALLOW_LOOPBACK, never in production), for local receivers.
 */
export interface AddressPolicy {
  allowLoopback: boolean;
}

/**
 * Addresses ipaddr.js calls plain unicast that are still not for us: the Azure platform address (wire server
 * and DNS of every Azure VM), and the deprecated IPv4-compatible IPv6 block ::a.b.c.d.
 */
const ALSO_FORBIDDEN: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [
  ipaddr.parseCIDR('168.63.129.16/32'),
  ipaddr.parseCIDR('::/96'),
];

/** Cloud metadata names (they resolve to link-local addresses, but are refused by name, before any lookup). */
const METADATA_HOSTNAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

/**
 * Why an IP address (any textual form ipaddr.js parses) must not be called, or null when it may. The reason is
 * the address class ('loopback', 'private', 'linkLocal', ...), for the registration message.
 */
export function forbiddenAddress(address: string, policy: AddressPolicy): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  return classify(ipaddr.parse(address), policy);
}

function classify(ip: ipaddr.IPv4 | ipaddr.IPv6, policy: AddressPolicy): string | null {
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    const range = v6.range();
    // The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) form is what the
    // packet reaches in the end: judge that one.
    if (range === 'ipv4Mapped' || (range === 'rfc6052' && v6.match(ipaddr.parseCIDR('64:ff9b::/96')))) {
      return classify(embeddedIPv4(v6), policy);
    }
  }
  const range = ip.range();
  if (range === 'loopback' && policy.allowLoopback) return null;
  if (range !== 'unicast') return range;
  const alsoForbidden = ALSO_FORBIDDEN.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits));
  return alsoForbidden ? 'reserved' : null;
}

function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 {
  const bytes = v6.toByteArray();
  return new ipaddr.IPv4(bytes.slice(12, 16));
}

/**
 * Why the host of a WHATWG-parsed URL (`url.hostname`: numeric IPv4 notations such as 2130706433, 0x7f.1, 0177.0.0.1
 * and 127.1 are already normalised to dotted decimal; IPv6 in brackets) must not be called, or null when it may
 * as far as can be told without DNS. A name that passes is still checked on every resolution at delivery.
 */
export function forbiddenHost(hostname: string, policy: AddressPolicy): string | null {
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (ipaddr.isValid(literal)) return forbiddenAddress(literal, policy);
  if (host === '') return 'empty host';
  // RFC 6761: localhost and every name under it are loopback, whatever a resolver says.
  if (host === 'localhost' || host.endsWith('.localhost')) return policy.allowLoopback ? null : 'loopback';
  if (METADATA_HOSTNAMES.has(host)) return 'metadata';
  return null;
}
