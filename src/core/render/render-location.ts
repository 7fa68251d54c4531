/** A place a customer shared, as any channel describes it (WhatsApp location, Telegram location or venue). */
export interface SharedLocation {
  latitude?: number;
  longitude?: number;
  /** A place's name (WhatsApp `name`, Telegram venue `title`). */
  name?: string;
  address?: string;
  /** Telegram: a live location that keeps moving for a while. */
  live?: boolean;
}

/**
 * A shared location as thread text: its name and address when given, and a
 * map link agents can open (`https://maps.google.com/?q=lat,lon`). Without
 * usable coordinates it says so instead of linking somewhere wrong.
 */
export function renderLocation(l: SharedLocation): string {
  const lines = [`📍 ${l.name?.trim() || (l.live ? 'Live location' : 'Location')}${l.live && l.name ? ' (live)' : ''}`];
  if (l.address?.trim()) lines.push(l.address.trim());
  lines.push(hasCoordinates(l) ? mapLink(l.latitude, l.longitude) : '(no coordinates were sent)');
  return lines.join('\n');
}

/** A link that opens the point in Google Maps, in a browser or the app. */
export function mapLink(latitude: number, longitude: number): string {
  return `https://maps.google.com/?q=${latitude},${longitude}`;
}

function hasCoordinates(l: SharedLocation): l is SharedLocation & { latitude: number; longitude: number } {
  const { latitude: lat, longitude: lon } = l;
  return typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon)
    && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}
