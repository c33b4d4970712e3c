// Milliseconds in each unit the setting table writes its ranges with.

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Node's timers overflow past 2^31-1 ms (24.8 days) and fire at once; stay under. */
export const MAX_TIMER_MS = 24 * DAY;
