/** A contact card a customer shared (WhatsApp `contacts`, Telegram `contact`). */
export interface SharedContact {
  name?: string;
  phones: readonly string[];
  emails: readonly string[];
  organization?: string;
}

/**
 * Shared contact cards as thread text: one line per card with the name,
 * organisation, phone numbers and e-mail addresses the customer chose to
 * share (this is content for the agent, so numbers are shown here; logs
 * never carry them).
 */
export function renderContacts(contacts: readonly SharedContact[]): string {
  if (!contacts.length) return '👤 A contact card with nothing in it';
  if (contacts.length === 1) return `👤 Contact: ${contactLine(contacts[0]!)}`;
  return [`👤 ${contacts.length} contacts:`, ...contacts.map((c) => `• ${contactLine(c)}`)].join('\n');
}

function contactLine(c: SharedContact): string {
  const name = c.name?.trim() || 'no name';
  const details = [
    ...(c.organization?.trim() ? [c.organization.trim()] : []),
    ...c.phones.map((p) => p.trim()).filter(Boolean),
    ...c.emails.map((e) => e.trim()).filter(Boolean),
  ];
  return details.length ? `${name} · ${details.join(' · ')}` : `${name} (no number or e-mail)`;
}
