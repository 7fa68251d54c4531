import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../src/channels/webchat/client-address.js';

describe('the visitor address web chat limits by', () => {
  it('takes a public peer as it is, whatever it claims to forward', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
    expect(clientAddress('2001:db8::1', '198.51.100.1')).toBe('2001:db8::1');
  });

  it('takes the address a proxy on a private or loopback address appended last', () => {
    expect(clientAddress('127.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
    expect(clientAddress('::ffff:10.0.0.5', '1.2.3.4, 198.51.100.2')).toBe('198.51.100.2');
    expect(clientAddress('172.20.0.3', ['9.9.9.9', '198.51.100.3'])).toBe('198.51.100.3');
    expect(clientAddress('::1', '2001:db8::7')).toBe('2001:db8::7');
  });

  it('keeps the peer when a private peer forwards nothing usable', () => {
    expect(clientAddress('192.168.1.2', undefined)).toBe('192.168.1.2');
    expect(clientAddress('192.168.1.2', 'not-an-ip')).toBe('192.168.1.2');
    expect(clientAddress('172.32.0.1', '198.51.100.1')).toBe('172.32.0.1');
    expect(clientAddress(undefined, undefined)).toBe('unknown');
  });
});
