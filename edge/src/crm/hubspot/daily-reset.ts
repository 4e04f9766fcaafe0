// HubSpot's daily API limit resets at midnight in the account's time zone (reference crm-apis.md
// §1.11). Callsight waits until then after a DAILY 429; without the account's zone it uses UTC.

/** Milliseconds the wall clock of `timeZone` is ahead of UTC at `instant`. */
function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant of the next midnight in `timeZone` after `now` (an IANA zone; UTC by default). */
export function nextMidnight(now: number, timeZone = 'UTC'): number {
  const wall = new Date(now + offsetMs(now, timeZone));
  const nextWallMidnight = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + 1);
  // The offset at midnight may differ from the one now (a DST change today): settle it twice.
  let instant = nextWallMidnight - offsetMs(nextWallMidnight, timeZone);
  instant = nextWallMidnight - offsetMs(instant, timeZone);
  return instant;
}

/** The calendar day `now` falls on in `timeZone` (`YYYY-MM-DD`): what a daily counter is keyed by. */
export function dayOf(now: number, timeZone = 'UTC'): string {
  return new Date(now + offsetMs(now, timeZone)).toISOString().slice(0, 10);
}
