import type { PrivateView } from '../core/overview/private-view.js';
import { queueViewText } from './queue-view-text.js';
import { statsViewText } from './stats-view-text.js';
import { templatesViewText } from './templates-view-text.js';

/** A rich private view as plain text (see PrivateView): what messengers without its rich form show. */
export function privateViewText(view: PrivateView): string {
  switch (view.kind) {
    case 'queues': return queueViewText(view);
    case 'stats': return statsViewText(view);
    case 'templates': return templatesViewText(view);
  }
}
