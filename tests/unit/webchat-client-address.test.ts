import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../src/channels/webchat/client-address.js';

describe('the visitor address web chat limits by', () => {
  it('takes the peer as it is with WEBCHAT_TRUST_PROXY=0, whatever X-Forwarded-For claims', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', 0)).toBe('203.0.113.9');
    expect(clientAddress('127.0.0.1', '198.51.100.1', 0)).toBe('127.0.0.1');
    expect(clientAddress('2001:db8::1', '198.51.100.1', 0)).toBe('2001:db8::1');
  });

  it('behind one proxy takes the address that proxy appended last', () => {
    expect(clientAddress('127.0.0.1', '198.51.100.1', 1)).toBe('198.51.100.1');
    // The client wrote 1.2.3.4 itself: only the proxy's entry counts.
    expect(clientAddress('10.0.0.5', '1.2.3.4, 198.51.100.2', 1)).toBe('198.51.100.2');
    expect(clientAddress('172.20.0.3', ['9.9.9.9', '198.51.100.3'], 1)).toBe('198.51.100.3');
    expect(clientAddress('::1', '2001:db8::7', 1)).toBe('2001:db8::7');
  });

  it('behind two proxies takes the second entry from the right', () => {
    expect(clientAddress('10.0.0.9', '6.6.6.6, 198.51.100.4, 10.0.0.8', 2)).toBe('198.51.100.4');
    // A request that reached the inner proxy directly has one entry: the leftmost there is.
    expect(clientAddress('10.0.0.9', '198.51.100.5', 2)).toBe('198.51.100.5');
  });

  it('keeps the peer when the proxy forwards nothing usable', () => {
    expect(clientAddress('192.168.1.2', undefined, 1)).toBe('192.168.1.2');
    expect(clientAddress('192.168.1.2', 'not-an-ip', 1)).toBe('192.168.1.2');
    expect(clientAddress('192.168.1.2', ' , ', 1)).toBe('192.168.1.2');
    expect(clientAddress(undefined, undefined, 0)).toBe('unknown');
  });
});
