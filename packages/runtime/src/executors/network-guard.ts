// Requests from flows must not reach the machine they run on or its private network (SSRF). Only
// addresses that ipaddr.js classifies as global unicast are reachable, unless the node's
// allowHosts names the host.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface AddressClass {
  /**
   * ipaddr.js's range name of the address, or of the IPv4 address it carries; only `unicast` is
   * on the public internet.
   */
  readonly range: string;
  /** The IPv4 address an IPv6 address carries (IPv4-mapped, NAT64, 6to4, IPv4-compatible). */
  readonly carries?: string;
}

// NAT64's well-known prefix: the gateway forwards to the IPv4 address in the last 32 bits. The
// local-use prefix 64:ff9b:1::/48 is not global; it stays under its own range name and is refused.
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
// IPv4-compatible addresses (deprecated, RFC 4291) carry an IPv4 address in the last 32 bits;
// ipaddr.js calls them unicast, so the IPv4 address is looked at instead.
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

const ipv4FromWords = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const [, high6to4 = 0, low6to4 = 0, , , , high = 0, low = 0] = address.parts;
  const range = address.range();
  if (range === '6to4') return ipv4FromWords(high6to4, low6to4);
  if (address.match(NAT64) || (range === 'unicast' && address.match(IPV4_COMPATIBLE))) return ipv4FromWords(high, low);
  return undefined;
}

/** The range of an IP address, judged by the IPv4 address it leads to when it carries one. */
export function classifyAddress(address: string): AddressClass | undefined {
  // Node's own test of what a socket accepts: anything else is not an address to connect to.
  const version = isIP(address);
  if (version === 0) return undefined;
  // process() turns an IPv4-mapped address into the IPv4 address it maps.
  const processed = ipaddr.process(address);
  const ipv4 = processed instanceof ipaddr.IPv6 ? embeddedIpv4(processed) : processed;
  return { range: (ipv4 ?? processed).range(), ...(ipv4 && version === 6 ? { carries: ipv4.toString() } : {}) };
}

/** Whether an IP address is loopback, private or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  return classifyAddress(address)?.range !== 'unicast';
}

interface Origin {
  readonly hostname: string;
  /** Empty for the protocol's default port, as in a URL. */
  readonly port: string;
  readonly protocol: string;
}

/** The host of an origin as a URL writes it: IPv6 addresses in brackets. */
function hostOf(origin: Origin): string {
  const bare = origin.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return isIP(bare) === 6 ? `[${bare}]` : bare;
}

/** `host` or `host:port` as written in an allowlist matches the origin (IPv6 with or without brackets). */
export function isAllowedHost(origin: Origin, allowHosts: readonly string[]): boolean {
  const host = hostOf(origin);
  const port = origin.port || (origin.protocol === 'https:' ? '443' : '80');
  const names = new Set([host, host.replace(/^\[|\]$/g, ''), `${host}:${port}`]);
  return allowHosts.some((entry) => names.has(entry.toLowerCase()));
}
