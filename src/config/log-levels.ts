import type { LogLevel } from '@nestjs/common';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** LOG_LEVEL names the least severe level printed: `warn` → fatal, error, warn. */
export const logLevels = (level: LogLevel): LogLevel[] => ORDER.slice(0, ORDER.indexOf(level) + 1);
