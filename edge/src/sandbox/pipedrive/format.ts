// Pipedrive's time formats: v1 entities use `YYYY-MM-DD HH:MM:SS` in UTC, v2 entities RFC 3339,
// leads ISO 8601 with milliseconds.

export const v1Time = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
export const v2Time = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
export const isoTime = (ms: number) => new Date(ms).toISOString();

export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const HOUR_MINUTE = /^([01]\d|2[0-3]):[0-5]\d$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
