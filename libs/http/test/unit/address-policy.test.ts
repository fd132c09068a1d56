import fc from 'fast-check';
import { addressRefusal, schemeRefusal } from '../../src';

describe('which addresses an outbound request (feed, webhook) may connect to', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.10', 'private'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['::ffff:192.168.0.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456:789a::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['[::1]', 'loopback'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:0a00:0001::1', '6to4'],
    ['2001:db8::1', 'reserved'],
  ])('refuses %s (%s)', (address, range) => {
    expect(addressRefusal(address)).toContain(range);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '2a00:1450:4007:80f::200e',
    '::ffff:8.8.8.8',
  ])('allows the public unicast address %s', (address) => {
    expect(addressRefusal(address)).toBeNull();
  });

  it('refuses what is not an address at all', () => {
    expect(addressRefusal('localhost')).toMatch(/not an IP address/);
    expect(addressRefusal('')).toMatch(/not an IP address/);
  });

  it('refuses every private, loopback, link-local or CGNAT IPv4 address, in either IPv4 or IPv4-mapped IPv6 form', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const rfc1918 = fc.oneof(
      fc.tuple(octet, octet, octet).map(([a, b, c]) => `10.${a}.${b}.${c}`),
      fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map(([a, b, c]) => `172.${a}.${b}.${c}`),
      fc.tuple(octet, octet).map(([a, b]) => `192.168.${a}.${b}`),
      fc.tuple(octet, octet, octet).map(([a, b, c]) => `127.${a}.${b}.${c}`),
      fc.tuple(octet, octet).map(([a, b]) => `169.254.${a}.${b}`),
      fc.tuple(fc.integer({ min: 64, max: 127 }), octet, octet).map(([a, b, c]) => `100.${a}.${b}.${c}`),
    );
    fc.assert(
      fc.property(rfc1918, fc.boolean(), (ip, mapped) => {
        expect(addressRefusal(mapped ? `::ffff:${ip}` : ip)).not.toBeNull();
      }),
    );
  });

  it('accepts https always, http only when private addresses are allowed, nothing else', () => {
    expect(schemeRefusal(new URL('https://hooks.example.com/x'), false)).toBeNull();
    expect(schemeRefusal(new URL('http://hooks.example.com/x'), false)).toMatch(/https/);
    expect(schemeRefusal(new URL('http://hooks.example.com/x'), true)).toBeNull();
    expect(schemeRefusal(new URL('ftp://hooks.example.com/x'), true)).toMatch(/https/);
    expect(schemeRefusal(new URL('file:///etc/passwd'), true)).toBe('must be an https URL');
  });
});
