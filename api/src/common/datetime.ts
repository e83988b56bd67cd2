/**
 * Datetimes on the wire (docs/api-conventions.md#serialisation, docs/nodes.md#query-language).
 *
 * Clients send ISO 8601 with or without an offset, with `T` or a space between date and time,
 * optional seconds and a 1–9 digit fraction; a date alone is midnight; no offset means UTC. The
 * database keeps milliseconds, so finer digits are truncated (as MongoDB does). Responses carry
 * naive UTC without a suffix and six fractional digits only when the fraction is non-zero.
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:(Z|z)|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

/** Parses a client datetime; returns null when the text is not an accepted ISO 8601 form. */
export function parseIsoDatetime(text: string): Date | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', , sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
  let epoch = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return null; // 2024-02-30 and friends
  if (sign) {
    const offsetHours = Number(oh);
    const offsetMinutes = om ? Number(om) : 0;
    if (offsetHours > 23 || offsetMinutes > 59) return null;
    const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
    epoch += sign === '+' ? -offset : offset;
  }
  const date = new Date(epoch);
  return Number.isNaN(date.getTime()) ? null : date;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `YYYY-MM-DDTHH:MM:SS[.ffffff]`, naive UTC: the form of every datetime in node, event and subscription bodies. */
export function formatWireDatetime(date: Date): string {
  const base =
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? base : `${base}.${pad(ms, 3)}000`;
}

/** The CloudEvent `time` attribute: UTC with `+00:00` and always six fractional digits (docs/events.md#event-envelope). */
export function formatCloudEventTime(date: Date): string {
  const base = formatWireDatetime(date);
  const withFraction = base.includes('.') ? base : `${base}.000000`;
  return `${withFraction}+00:00`;
}
