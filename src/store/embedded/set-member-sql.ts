import type { Database } from 'better-sqlite3';

/** The set operations as prepared statements; each is one statement, run synchronously. */
export function setMemberSql(db: Database) {
  const insert = db.prepare<[string, string]>('INSERT INTO set_members (key, member) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const select = db.prepare<[string], string>('SELECT member FROM set_members WHERE key = ?').pluck();
  const remove = db.prepare<[string, string]>('DELETE FROM set_members WHERE key = ? AND member = ?');
  // One statement: atomic with respect to pushes on the list.
  const removeIfListEmpty = db.prepare<{ setKey: string; member: string; listKey: string }>(
    `DELETE FROM set_members
       WHERE key = @setKey AND member = @member AND NOT EXISTS (SELECT 1 FROM list_items WHERE key = @listKey)`,
  );

  return {
    /** Adds `member` to a set; adding it twice keeps one. */
    insert: (key: string, member: string): void => void insert.run(key, member),
    /** The members of a set, in no particular order. */
    select: (key: string): string[] => select.all(key),
    remove: (key: string, member: string): void => void remove.run(key, member),
    /** Removes `member` from `setKey` only while the list `listKey` has no items; true when removed. */
    removeIfListEmpty: (setKey: string, member: string, listKey: string): boolean =>
      removeIfListEmpty.run({ setKey, member, listKey }).changes === 1,
  };
}

export type SetMemberSql = ReturnType<typeof setMemberSql>;
