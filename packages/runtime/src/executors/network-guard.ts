// Requests from flows must not reach the machine they run on or its private network (SSRF). Only
// addresses that ipaddr.js classifies as global unicast are reachable, unless the node's
// allowHosts names the host. The check happens where the connection is opened, on the very
// addresses the socket is given, so nothing resolves the name again between check and connect.
import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';
import { causeOf } from '../errors';

/** Resolves a host name to IP addresses (dns.lookup by default, a stub in tests). */
export type ResolveHost = (hostname: string) => Promise<readonly string[]>;

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

const describeAddress = (address: string, found: AddressClass) => (found.carries ? `${address} (carries ${found.carries}: ${found.range})` : `${address} (${found.range})`);

/** A connection refused by the guard; the http executor reports it as the node's error. */
export class AddressRefusedError extends Error {
  override readonly name = 'AddressRefusedError';
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

function refuse(origin: Origin, problem: string, allowedBy: string): AddressRefusedError {
  const entry = origin.port ? `${hostOf(origin)}:${origin.port}` : hostOf(origin);
  return new AddressRefusedError(`refused ${entry}: ${problem}; add "${entry}" to ${allowedBy} to permit it`);
}

/** `host` or `host:port` as written in an allowlist matches the origin (IPv6 with or without brackets). */
export function isAllowedHost(origin: Origin, allowHosts: readonly string[]): boolean {
  const host = hostOf(origin);
  const port = origin.port || (origin.protocol === 'https:' ? '443' : '80');
  const names = new Set([host, host.replace(/^\[|\]$/g, ''), `${host}:${port}`]);
  return allowHosts.some((entry) => names.has(entry.toLowerCase()));
}

/**
 * The socket's `lookup`: resolves once, refuses the host when any of its addresses is not public
 * (unless `checked` is false, for allowed hosts), and hands the socket exactly those addresses.
 */
function checkedLookup(resolve: ResolveHost, origin: Origin, checked: boolean, allowedBy: string): LookupFunction {
  return (hostname, options, callback) => {
    const addresses = async (): Promise<LookupAddress[]> => {
      const resolved = await resolve(hostname);
      if (resolved.length === 0) throw new Error(`${hostname} resolves to no address`);
      for (const address of resolved) {
        const found = classifyAddress(address);
        if (found === undefined) throw new Error(`${hostname} resolves to "${address}", which is not an IP address`);
        if (checked && found.range !== 'unicast') throw refuse(origin, `it resolves to ${describeAddress(address, found)}, not a public address`, allowedBy);
      }
      return resolved.map((address) => ({ address, family: isIP(address) }));
    };
    addresses().then(
      (all) => {
        const [first] = all as [LookupAddress];
        if (options.all) callback(null, all);
        else callback(null, first.address, first.family);
      },
      (error: Error) => callback(error, ''),
    );
  };
}

/**
 * The dispatcher of one `agent.http` execution, or of one MCP server reached over HTTP. Every
 * connection it opens passes the guard: an IP literal (which the socket connects to without a
 * lookup) is checked here, a name by the socket's lookup. TLS still verifies and sends SNI for the
 * URL's host name, since only the lookup changes. `allowedBy` names the setting a refusal points
 * to.
 */
export function guardedDispatcher(resolve: ResolveHost, allowHosts: readonly string[], allowedBy = "the node's allowHosts"): Agent {
  return new Agent({
    connect: (options, callback) => {
      const allowed = isAllowedHost(options, allowHosts);
      const literal = allowed ? undefined : classifyAddress(options.hostname);
      if (literal && literal.range !== 'unicast') {
        callback(refuse(options, `${describeAddress(options.hostname, literal)} is not a public address`, allowedBy), null);
        return;
      }
      // A connector per connection, because its lookup reports refusals for this origin.
      buildConnector({ lookup: checkedLookup(resolve, options, !allowed, allowedBy) })(options, callback);
    },
  });
}

/** undici reports a connection its connector refused as the cause of a "fetch failed" TypeError. */
export function refusalIn(error: unknown): AddressRefusedError | undefined {
  return causeOf(error, AddressRefusedError);
}

/** The system resolver (`dns.lookup`, every address), what hosts use outside tests. */
export const resolveWithSystem: ResolveHost = async (hostname) => (await lookup(hostname, { all: true })).map((entry) => entry.address);
