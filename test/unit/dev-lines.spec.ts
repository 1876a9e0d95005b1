import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/app.registry.js';
import { devLineStream } from '../../src/logging/dev-lines.js';
import { loggerOptions } from '../../src/logging/logger-options.js';
import { logRequests } from '../../src/logging/request-logging.js';

/** The logger `npm run dev` gets (LOG_FORMAT=pretty), writing into an array. */
function devLogger() {
  const out: string[] = [];
  const env = loadAppConfig({ NODE_ENV: 'development', LOG_FORMAT: 'pretty', LOG_LEVEL: 'log' });
  const logger = pino(
    loggerOptions(env),
    devLineStream((text) => out.push(text), false),
  );
  return { logger, out: () => out.join('') };
}

describe('development log lines (npm run dev)', () => {
  it('prints one line per request: method, path without its token, status, ms and request id', async () => {
    const { logger, out } = devLogger();
    const app = Fastify({ genReqId: () => 'req-1234' });
    logRequests(app, logger);
    app.get('/sign-in', (_req, reply) => reply.code(200).send('ok'));
    await app.inject({ method: 'GET', url: '/sign-in?token=SECRETTOKENabcdefghijklmnopqrstu' });
    await app.close();
    await new Promise((r) => setImmediate(r));

    expect(out().split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}GET \/sign-in\?token=\[REDACTED\] 200 \d+ ms req-1234$/),
    ]);
    expect(out()).not.toContain('SECRETTOKEN');
  });

  it('prints other entries on one line each, context first and fields after, without colours when told', async () => {
    const { logger, out } = devLogger();
    logger.info(
      { context: 'MailProcessor', requestId: 'req-9', outboxId: 'o-1', jobId: 'o-1' },
      'Email confirmation sent to a***@e***.com in 63 ms (SES ses-1)',
    );
    logger.warn({ context: 'Worker', attempts: 3 }, 'slow');
    await new Promise((r) => setImmediate(r));
    expect(out().split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(
        / INFO {2}\[MailProcessor\] Email confirmation sent to a\*\*\*@e\*\*\*\.com in 63 ms \(SES ses-1\) requestId=req-9$/,
      ),
      expect.stringMatching(/ WARN {2}\[Worker\] slow attempts=3$/),
    ]);
    expect(out()).not.toContain('\x1b[');
  });
});
