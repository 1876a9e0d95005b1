import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/app.registry.js';
import { SesMailTransport } from '../../src/mail/ses-mail.transport.js';

const development = { NODE_ENV: 'development' };

describe('MAIL_FROM with a display name', () => {
  it.each(['no-reply@acme.test', 'Acme <no-reply@acme.test>', '"Acme, Inc." <no-reply@acme.test>', 'Café Acme <no-reply@acme.test>'])(
    'accepts %s',
    (value) => {
      expect(loadAppConfig({ ...development, MAIL_FROM: value }).MAIL_FROM).toBe(value);
    },
  );

  it.each([
    'Acme',
    'Acme <not-an-address>',
    'Acme <no-reply@acme.test',
    'Acme\r\nBcc: x@evil.test <no-reply@acme.test>',
    'A <b> <no-reply@acme.test>',
  ])('refuses %j with one line naming MAIL_FROM and both forms', (value) => {
    expect(() => loadAppConfig({ ...development, MAIL_FROM: value })).toThrow(
      /^Invalid configuration: MAIL_FROM must be an address \(no-reply@example\.com\) or a display name and an address \(Acme <no-reply@example\.com>\)[^\n]*$/,
    );
  });

  describe('reaches SES as the Source of SendEmail', () => {
    let server: Server;
    let endpoint: string;
    const sources: string[] = [];
    beforeAll(async () => {
      // A stand-in for SES's v1 query API: records the form field Source, answers like SES.
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          sources.push(new URLSearchParams(body).get('Source') ?? '');
          res.writeHead(200, { 'content-type': 'text/xml' });
          res.end(
            '<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendEmailResult><MessageId>m-1</MessageId>' +
              '</SendEmailResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></SendEmailResponse>',
          );
        });
      }).listen(0, '127.0.0.1');
      await once(server, 'listening');
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => server.close());

    it.each([
      ['Acme <no-reply@acme.test>', 'Acme <no-reply@acme.test>'],
      ['  no-reply@acme.test ', 'no-reply@acme.test'],
      ['"Acme, Inc." <no-reply@acme.test>', '"Acme, Inc." <no-reply@acme.test>'],
      ['Acme, Inc. <no-reply@acme.test>', '"Acme, Inc." <no-reply@acme.test>'],
      ['Café Acme <no-reply@acme.test>', '=?UTF-8?B?Q2Fmw6kgQWNtZQ==?= <no-reply@acme.test>'],
    ])('MAIL_FROM=%s is sent as %s', async (mailFrom, source) => {
      const env = loadAppConfig({ ...development, MAIL_FROM: mailFrom, AWS_ENDPOINT_URL_SES: endpoint });
      const transport = new SesMailTransport(env);
      try {
        await expect(transport.send({ to: 'ada@example.com', subject: 's', text: 't', html: '<p>h</p>' })).resolves.toEqual({
          messageId: 'm-1',
        });
      } finally {
        transport.onApplicationShutdown();
      }
      expect(sources.at(-1)).toBe(source);
    });
  });
});
