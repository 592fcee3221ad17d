// Classification only: none of these addresses is connected to.
import { describe, expect, it } from 'vitest';
import { classifyAddress, isAllowedHost } from './network-guard';

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'unicast'],
    ['1.1.1.1', 'unicast'],
    ['2606:4700::1111', 'unicast'],
    ['2001:4860:4860::8888', 'unicast'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['10.0.0.7', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd00::2', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'teredo'],
    ['100::1', 'discard'],
    ['::ffff:0:7f00:1', 'rfc6145'],
    // NAT64's local-use prefix is no gateway to the internet.
    ['64:ff9b:1::7f00:1', 'rfc6052'],
  ])('%s is %s', (address, range) => {
    expect(classifyAddress(address)).toEqual({ range });
  });

  it.each([
    // IPv4-mapped
    ['::ffff:7f00:1', 'loopback', '127.0.0.1'],
    ['::ffff:127.0.0.1', 'loopback', '127.0.0.1'],
    ['::ffff:a00:1', 'private', '10.0.0.1'],
    ['::ffff:808:808', 'unicast', '8.8.8.8'],
    // IPv4-compatible (ipaddr.js reads the dotted form as mapped; both lead to the same IPv4 address)
    ['::7f00:1', 'loopback', '127.0.0.1'],
    ['::127.0.0.1', 'loopback', '127.0.0.1'],
    ['::a9fe:a9fe', 'linkLocal', '169.254.169.254'],
    ['::808:808', 'unicast', '8.8.8.8'],
    // NAT64, well-known prefix
    ['64:ff9b::7f00:1', 'loopback', '127.0.0.1'],
    ['64:ff9b::c0a8:101', 'private', '192.168.1.1'],
    ['64:ff9b::808:808', 'unicast', '8.8.8.8'],
    // 6to4
    ['2002:7f00:1::', 'loopback', '127.0.0.1'],
    ['2002:a00:1::1', 'private', '10.0.0.1'],
    ['2002:808:808::1', 'unicast', '8.8.8.8'],
  ])('%s carries %s address %s', (address, range, carries) => {
    expect(classifyAddress(address)).toEqual({ range, carries });
  });

  it.each(['localhost', 'example.com', '127.1', '0x7f.1', '2130706433', '[::1]', ''])('%s is no address a socket takes', (text) => {
    expect(classifyAddress(text)).toBeUndefined();
  });
});

describe('isAllowedHost', () => {
  const origin = (hostname: string, port = '', protocol = 'http:') => ({ hostname, port, protocol });

  it('matches a host on any port, or a host and port', () => {
    expect(isAllowedHost(origin('printer.lan', '8080'), ['printer.lan'])).toBe(true);
    expect(isAllowedHost(origin('printer.lan', '8080'), ['PRINTER.lan:8080'])).toBe(true);
    expect(isAllowedHost(origin('printer.lan', '8081'), ['printer.lan:8080'])).toBe(false);
    expect(isAllowedHost(origin('printer.lan.evil.example'), ['printer.lan'])).toBe(false);
  });

  it('knows the default ports', () => {
    expect(isAllowedHost(origin('printer.lan'), ['printer.lan:80'])).toBe(true);
    expect(isAllowedHost(origin('printer.lan', '', 'https:'), ['printer.lan:443'])).toBe(true);
    expect(isAllowedHost(origin('printer.lan', '', 'https:'), ['printer.lan:80'])).toBe(false);
  });

  it('takes IPv6 addresses with or without brackets, as URLs and sockets write them', () => {
    for (const hostname of ['[::1]', '::1']) {
      expect(isAllowedHost(origin(hostname, '8080'), ['::1'])).toBe(true);
      expect(isAllowedHost(origin(hostname, '8080'), ['[::1]'])).toBe(true);
      expect(isAllowedHost(origin(hostname, '8080'), ['[::1]:8080'])).toBe(true);
      expect(isAllowedHost(origin(hostname, '8080'), ['[::1]:9090'])).toBe(false);
    }
  });
});
