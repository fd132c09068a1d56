import fc from 'fast-check';
import { addressRefusal, schemeRefusal } from '../../src/domain/address-policy';

describe('which addresses an imported feed may be fetched from', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['fc00::1', 'uniqueLocal'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['::ffff:192.168.0.1', 'private'],
    ['[::ffff:127.0.0.1]', 'loopback'],
  ])('refuses %s (%s)', (address, range) => {
    expect(addressRefusal(address)).toContain(range);
  });

  it('allows public unicast addresses, v4 and v6', () => {
    expect(addressRefusal('93.184.215.14')).toBeNull();
    expect(addressRefusal('2606:2800:21f:cb07:6820:80da:af6b:8b2c')).toBeNull();
  });

  it('property: every address in a private, loopback or link-local IPv4 block is refused, also written as IPv4-mapped IPv6', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const inBlock = fc.oneof(
      fc.tuple(fc.constant(10), octet, octet, octet),
      fc.tuple(fc.constant(127), octet, octet, octet),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
      fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
      fc.tuple(fc.constant(169), fc.constant(254), octet, octet),
      fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), octet, octet),
    );
    fc.assert(
      fc.property(inBlock, (parts) => {
        const v4 = parts.join('.');
        return addressRefusal(v4) !== null && addressRefusal(`::ffff:${v4}`) !== null;
      }),
    );
  });

  it('takes https always, http only when private addresses are allowed, nothing else', () => {
    expect(schemeRefusal(new URL('https://a.example/f.ics'), false)).toBeNull();
    expect(schemeRefusal(new URL('http://a.example/f.ics'), false)).toBe('must be an https URL');
    expect(schemeRefusal(new URL('http://a.example/f.ics'), true)).toBeNull();
    expect(schemeRefusal(new URL('ftp://a.example/f.ics'), true)).toBe('must be an https URL');
    expect(schemeRefusal(new URL('file:///etc/passwd'), true)).toBe('must be an https URL');
  });
});
