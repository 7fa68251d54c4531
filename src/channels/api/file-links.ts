import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { AgentFile } from '../../core/files/agent-file.js';

/** How long a file link in a callback works: the receiver fetches it when the callback arrives. */
export const FILE_LINK_TTL_MS = 3600_000;

/**
 * Links to agents' files for the API callback: the file's reference and the
 * link's expiry, sealed with AES-256-GCM under a key derived from
 * INBOUND_API_SECRET. Nothing is stored (any replica opens any link), the
 * messenger's own address of the file stays hidden, and a link that was
 * changed, made with another secret, or expired opens to nothing.
 */
export class FileLinks {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'threaddesk', 'api file links v1', 32));
  }

  seal(file: AgentFile, expiresAt: number): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const plain = Buffer.from(JSON.stringify({ f: file, e: expiresAt }));
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** The file of a link; 'forged' when it does not open, 'expired' past its time. */
  open(token: string, now: number): AgentFile | 'forged' | 'expired' {
    const raw = Buffer.from(token, 'base64url');
    if (raw.length < 29 || token.length > 4096) return 'forged';
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const { f, e } = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as { f: AgentFile; e: number };
      return now > e ? 'expired' : f;
    } catch {
      return 'forged';
    }
  }
}
