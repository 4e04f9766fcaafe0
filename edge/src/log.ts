/**
 * Structured logs, one JSON object a line. Callers pass ids and counts, never phone numbers,
 * transcripts, bodies or secrets; `maskPhone` from shared exists for the rare case a number helps.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const levels = { info: 0, warn: 1, error: 2, silent: 3 } as const;
export type LogLevel = keyof typeof levels;

export function jsonLogger(level: LogLevel = 'info', write: (line: string) => void = console.log): Logger {
  const at =
    (l: Exclude<LogLevel, 'silent'>) =>
    (message: string, fields: LogFields = {}) => {
      if (levels[l] < levels[level]) return;
      write(JSON.stringify({ level: l, time: new Date().toISOString(), message, ...fields }));
    };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = jsonLogger('silent');
