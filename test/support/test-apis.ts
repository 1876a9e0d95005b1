import type { INestApplicationContext } from '@nestjs/common';
import { Environment } from '../../src/config/environment.js';
import { DatabaseService } from '../../src/database/database.service.js';
import { MailTestApi } from '../../src/mail/testing/mail.test-api.js';
import { PasswordsTestApi } from '../../src/passwords/testing/passwords.test-api.js';
import { RateLimitTestApi } from '../../src/rate-limit/testing/rate-limit.test-api.js';
import { SesFeedbackTestApi } from '../../src/ses-feedback/testing/ses-feedback.test-api.js';
import { TokensTestApi } from '../../src/tokens/testing/tokens.test-api.js';
import { UsersTestApi } from '../../src/users/testing/users.test-api.js';
import { WebhooksTestApi } from '../../src/webhooks/testing/webhooks.test-api.js';

/** The test-only APIs of the modules (what tests read or change that no HTTP API or service offers), on an app's database. */
export interface TestApis {
  users: UsersTestApi;
  tokens: TokensTestApi;
  mail: MailTestApi;
  sesFeedback: SesFeedbackTestApi;
  webhooks: WebhooksTestApi;
  rateLimits: RateLimitTestApi;
  passwords: PasswordsTestApi;
}

export function testApisOf(app: INestApplicationContext): TestApis {
  const db = app.get(DatabaseService);
  return {
    users: new UsersTestApi(db),
    tokens: new TokensTestApi(db),
    mail: new MailTestApi(db),
    sesFeedback: new SesFeedbackTestApi(db),
    webhooks: new WebhooksTestApi(db),
    rateLimits: new RateLimitTestApi(app.get(Environment), db),
    passwords: new PasswordsTestApi(db),
  };
}
