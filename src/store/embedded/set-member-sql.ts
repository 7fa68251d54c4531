import type { SqlQuery } from './sqlite-schema.js';

/** Adds `member` to a set; adding it twice keeps one. */
export async function insertMember(query: SqlQuery, key: string, member: string): Promise<void> {
  await query('INSERT INTO set_members (key, member) VALUES (?1, ?2) ON CONFLICT DO NOTHING', key, member);
}

/** The members of a set, in no particular order. */
export async function selectMembers(query: SqlQuery, key: string): Promise<string[]> {
  const rows = await query('SELECT member FROM set_members WHERE key = ?1', key);
  return rows.map((row) => row['member'] as string);
}

/** Removes `member` from `setKey` only while the list `listKey` has no items; true when removed. */
export async function deleteMemberIfListEmpty(query: SqlQuery, setKey: string, member: string, listKey: string): Promise<boolean> {
  // One statement, and pushes are statements on the same serialised connection: atomic.
  const rows = await query(
    `DELETE FROM set_members
       WHERE key = ?1 AND member = ?2 AND NOT EXISTS (SELECT 1 FROM list_items WHERE key = ?3)
       RETURNING member`,
    setKey,
    member,
    listKey,
  );
  return rows.length === 1;
}
