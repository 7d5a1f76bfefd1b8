/**
 * The Tencent Cloud API prints times as `YYYY-MM-DD HH:MM:SS` in the region's
 * local time (UTC+8 for the real service). State keeps ISO 8601 UTC instants.
 */
export function formatTcTime(instant: Date | string, offsetMinutes: number): string {
  const ms = new Date(instant).getTime() + offsetMinutes * 60_000;
  const iso = new Date(ms).toISOString(); // 2026-01-01T08:00:00.000Z, already shifted
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** Parses `+08:00`, `-05:30`, `UTC+8`, `8` or `480m`-free minutes like `480` into minutes east of UTC. */
export function parseUtcOffset(text: string): number | null {
  const trimmed = text.trim().replace(/^UTC/i, '');
  const hm = /^([+-])?(\d{1,2})(?::?(\d{2}))?$/.exec(trimmed);
  if (!hm) return null;
  const sign = hm[1] === '-' ? -1 : 1;
  const hours = Number(hm[2]);
  const minutes = hm[3] ? Number(hm[3]) : 0;
  if (hours > 14 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}
