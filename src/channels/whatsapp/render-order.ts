import type { z } from 'zod';
import type { orderContent } from './message-content.js';

type Order = z.infer<typeof orderContent>;

/**
 * A catalog order as thread text: one line per item with quantity, product
 * id and unit price, then the total when every item has a numeric quantity
 * and price in one currency (summed in hundredths, so 3 × 0.10 is 0.30).
 */
export function renderOrder(order: Order): string {
  const lines = [`🛒 Order${order.catalog_id ? ` from catalog ${order.catalog_id}` : ''}:`];
  let cents = 0;
  let computable = order.product_items.length > 0;
  const currencies = new Set<string>();
  for (const item of order.product_items) {
    const qty = item.quantity;
    const price = item.item_price;
    const currency = item.currency?.trim() ?? '';
    currencies.add(currency);
    const priced = price !== undefined ? ` at ${formatAmount(price)}${currency ? ` ${currency}` : ''}` : '';
    lines.push(`• ${formatAmount(qty)} × ${item.product_retailer_id}${priced}`);
    if (typeof qty === 'number' && typeof price === 'number') cents += Math.round(qty * price * 100);
    else computable = false;
  }
  if (computable && currencies.size === 1) {
    const [currency] = currencies;
    lines.push(`Total: ${formatAmount(cents / 100)}${currency ? ` ${currency}` : ''}`);
  }
  if (order.text?.trim()) lines.push(order.text.trim());
  return lines.join('\n');
}

function formatAmount(n: number | string): string {
  if (typeof n === 'string') return n;
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
