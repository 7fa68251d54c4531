import { describe, expect, it } from 'vitest';
import { can, ROLE_PERMISSIONS, type Permission } from '../../src/core/permissions.js';
import type { Role, Seat } from '../../src/core/model.js';

const ALL: Permission[] = [
  'seat.manage', 'role.grant', 'queue.grant', 'chat.claim', 'chat.reply', 'chat.transfer.any',
  'data.export', 'routing.configure', 'audit.view', 'alerts.receive', 'stats.view',
];

const seat = (roles: Role[], over: Partial<Seat> = {}): Seat => ({
  id: 'seat-1', name: 'Alex', bindings: [{ platform: 'slack', userId: 'U0AGENT' }], roles,
  departments: ['default'], queues: ['default'], maxChats: 5, presence: 'online', enabled: true, createdAt: 0,
  ...over,
});

describe('can', () => {
  it('denies everything to nobody', () => {
    for (const p of ALL) expect(can(undefined, p), p).toBe(false);
  });

  it('denies everything to a seat without roles', () => {
    for (const p of ALL) expect(can(seat([]), p), p).toBe(false);
  });

  it('denies everything to a disabled seat, even an admin', () => {
    for (const p of ALL) expect(can(seat(['admin'], { enabled: false }), p), p).toBe(false);
  });

  it('grants an admin every named permission, in any department', () => {
    for (const p of ALL) expect(can(seat(['admin'], { departments: [] }), p, { department: 'sales' }), p).toBe(true);
  });

  it('lets an agent claim and reply but not manage seats, grant roles, export or read the audit', () => {
    const agent = seat(['agent']);
    expect(can(agent, 'chat.claim')).toBe(true);
    expect(can(agent, 'chat.reply')).toBe(true);
    for (const p of ['seat.manage', 'role.grant', 'queue.grant', 'chat.transfer.any', 'data.export', 'routing.configure', 'audit.view', 'alerts.receive', 'stats.view'] as const) {
      expect(can(agent, p), p).toBe(false);
    }
  });

  it('keeps the security role to alerts and the audit trail', () => {
    const security = seat(['security']);
    expect(ALL.filter((p) => can(security, p))).toEqual(['audit.view', 'alerts.receive']);
  });

  it('does not let a supervisor grant roles (admins only)', () => {
    expect(can(seat(['supervisor']), 'role.grant')).toBe(false);
    expect(can(seat(['supervisor']), 'seat.manage')).toBe(true);
  });

  it('denies an agent a chat of another department', () => {
    const agent = seat(['agent'], { departments: ['support'] });
    expect(can(agent, 'chat.claim', { department: 'support' })).toBe(true);
    expect(can(agent, 'chat.claim', { department: 'sales' })).toBe(false);
    expect(can(seat(['supervisor'], { departments: ['support'] }), 'chat.transfer.any', { department: 'sales' })).toBe(false);
  });

  it('lets a lead see and join the chats of their departments and see their figures, and nothing more (SPEC §6)', () => {
    const lead = seat(['lead'], { departments: ['support'] });
    expect(ALL.filter((p) => can(lead, p, { department: 'support' }))).toEqual(['chat.claim', 'chat.reply', 'stats.view']);
    expect(ALL.filter((p) => can(lead, p, { department: 'sales' }))).toEqual([]);
  });

  it('gives figures to supervisors and admins, not to agents or security', () => {
    expect(can(seat(['supervisor']), 'stats.view', { department: 'default' })).toBe(true);
    expect(can(seat(['admin'], { departments: [] }), 'stats.view', { department: 'sales' })).toBe(true);
    expect(can(seat(['agent']), 'stats.view')).toBe(false);
    expect(can(seat(['security']), 'stats.view')).toBe(false);
  });

  it('combines roles: a security seat that is also an agent may claim', () => {
    expect(can(seat(['security', 'agent']), 'chat.claim')).toBe(true);
  });

  it('denies a role name it does not know (a corrupted record)', () => {
    expect(can(seat(['root' as Role]), 'chat.claim')).toBe(false);
  });

  it('names only known permissions in the role table', () => {
    for (const [role, perms] of Object.entries(ROLE_PERMISSIONS)) {
      for (const p of perms) expect(ALL, `${role}: ${p}`).toContain(p);
    }
  });
});
