import pino from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/app.registry.js';
import { loggerOptions } from '../../src/logging/logger-options.js';

function capture(level: string) {
  const lines: Array<{ level: number; msg: string; context?: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const env = loadAppConfig({ NODE_ENV: 'development', LOG_FORMAT: 'json', LOG_LEVEL: level });
  return { logger: pino(loggerOptions(env), stream), lines };
}

describe('a quiet start', () => {
  // How nestjs-pino hands Nest's own lines to pino: the context in the first argument.
  const nestStart = (logger: pino.Logger) => {
    logger.info({ context: 'InstanceLoader' }, 'AppModule dependencies initialized');
    logger.info({ context: 'RoutesResolver' }, 'UsersController {/api/users}:');
    logger.info({ context: 'RouterExplorer' }, 'Mapped {/api/users, POST} route');
    logger.info({ context: 'NestApplication' }, 'Nest application successfully started');
    logger.warn({ context: 'RouterExplorer' }, 'a warning stays a warning');
  };

  it('keeps module and route mapping lines out of the default (info) log', () => {
    const { logger, lines } = capture('log');
    nestStart(logger);
    expect(lines.map((l) => l.msg)).toEqual(['Nest application successfully started', 'a warning stays a warning']);
  });

  it('shows them at LOG_LEVEL=debug, at debug level', () => {
    const { logger, lines } = capture('debug');
    nestStart(logger);
    expect(lines).toHaveLength(5);
    expect(lines.find((l) => l.msg === 'Mapped {/api/users, POST} route')).toMatchObject({ level: 20, context: 'RouterExplorer' });
  });
});
