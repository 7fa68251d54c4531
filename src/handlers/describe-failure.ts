import type { Failure } from '../core/result.js';

/**
 * The one place where expected failures become words (STYLE §4–5). Every text
 * says what happened and what to type or do instead.
 */
export function describeFailure(failure: Failure, prefix = '!'): string {
  const d = failure.detail ?? {};
  switch (failure.code) {
    case 'not_a_seat':
      return 'You are not a seat of this support desk yet, so nothing was done. Ask an admin to add you with `/seat add @you`.';
    case 'seat_disabled':
      return 'Your seat is disabled, so nothing was done. Ask an admin to re-enable it with `/seat add @you`.';
    case 'permission_denied':
      return `Your roles do not allow you to ${d.action ?? 'do that'} here. Ask a supervisor or admin to grant it with \`/assign\`.`;
    case 'not_in_thread':
      return `That command works inside a conversation's thread. Open the thread and type \`${prefix}${d.command ?? 'claim'}\` there.`;
    case 'unknown_conversation':
      return 'This thread is not a support conversation (or its conversation is gone). Customer conversations have a header card with Claim / Release / Close buttons.';
    case 'already_claimed':
      return `${d.holder ?? 'Someone else'} already has this conversation. Ask them to \`${prefix}transfer\` it to you, or a supervisor to \`${prefix}release\` it.`;
    case 'already_yours':
      return 'You already have this conversation. Reply in the thread to answer the customer.';
    case 'not_claimed':
      return `Nobody has this conversation. Type \`${prefix}claim\` to take it.`;
    case 'not_claimer':
      return `${d.holder ?? 'Someone else'} has this conversation, so your message stayed internal. Ask them to \`${prefix}transfer\` it to you, or type \`${prefix}claim\` once it is released. Start a message with \`//\` to write a note on purpose.`;
    case 'conversation_closed':
      return `This conversation is closed. Type \`${prefix}reopen\` to open it again.`;
    case 'conversation_open':
      return 'This conversation is already open.';
    case 'window_closed':
      return windowClosed(d);
    case 'channel_error':
      return `⚠️ Not sent: ${d.channel ?? 'the customer channel'} refused this reply (${d.reason ?? 'no reason given'}). Check the message and send it again; if it keeps failing, tell whoever runs the bot and quote this text.`;
    case 'unknown_command':
      return `\`${prefix}${d.command}\` is not a command here. Try \`${prefix}claim\`, \`${prefix}release\`, \`${prefix}close\` or \`${prefix}reopen\`.`;
    case 'bad_arguments':
      return `That did not work: ${d.usage ?? 'the arguments are not right'}.${d.example ? ` Type it like \`${d.example}\`.` : ''}`;
    case 'unknown_seat':
      return `${d.who ?? 'That person'} has no seat here. Add them first with \`/seat add @them\`.`;
    case 'seat_exists':
      return `${d.seat} already has a seat.`;
    case 'unknown_role':
      return `"${d.role}" is not a role. Roles are admin, supervisor, lead, agent and security.`;
    case 'unknown_queue':
      return `There is no queue "${d.queue}". Ask an admin which queues exist (\`/seat list\` shows each seat's queues).`;
    case 'outside_department':
      return `That belongs to the ${d.department} department, which is not yours, so nothing was done. Ask a supervisor of ${d.department} or an admin.`;
    case 'last_admin':
      return 'That is the last enabled admin: the desk would have nobody left to manage it. Give someone else the admin role first (`/assign @them role=admin`).';
    case 'seat_not_disabled':
      return `${d.seat}'s seat is still enabled. Offboard it first with \`/seat disable @them\`; removal only takes disabled seats.`;
    case 'receiver_unavailable':
      return `${d.seat} cannot take this conversation: ${d.why}. Pick someone else.`;
    case 'too_many_mentions':
      return `You mentioned ${d.count} people, but an escalation goes to at most two. Nothing was sent: pick the two who can help most and write it again.`;
    case 'import_invalid':
      return `Nothing was imported: ${d.count} row${d.count === 1 ? ' has a problem' : 's have problems'}.\n${d.rows}\nFix ${d.count === 1 ? 'it' : 'them'} and import the whole file again.`;
    case 'files_not_supported':
      return `⚠️ Not sent${d.files ? ` (${d.files})` : ''}: Files can't be sent to the customer yet; send a link or describe it.${d.withText ? ' Its text did not go either: send the text again without the file.' : ''}`;
    case 'slash_in_thread_unsupported':
      return `Slack does not run slash commands inside threads: type \`!${d.command}\` in the conversation's thread instead, or use the header's buttons.`;
  }
}

function windowClosed(d: NonNullable<Failure['detail']>): string {
  const when = typeof d.closesAt === 'number' ? ` (it closed ${new Date(d.closesAt).toISOString().replace('T', ' ').slice(0, 16)} UTC)` : '';
  // The channel module declares the window; the failure carries its label and length.
  if (typeof d.windowHours === 'number') {
    return `⚠️ Not sent: ${d.channel ?? 'This channel'} allows free replies only within ${d.windowHours} hours of the customer's last message${when}. The customer has to write again before you can answer; your text is kept in this thread.`;
  }
  return `⚠️ Not sent: the customer's reply window has closed${when}. The customer has to write again before you can answer.`;
}
