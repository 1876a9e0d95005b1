import type { Environment } from '../config/environment.js';

/** The topics of SES_SNS_TOPIC_ARNS whose messages are accepted; empty when it is unset. */
export const allowedSnsTopics = (env: Pick<Environment, 'SES_SNS_TOPIC_ARNS'>): ReadonlySet<string> =>
  new Set(
    (env.SES_SNS_TOPIC_ARNS ?? '')
      .split(',')
      .map((topic) => topic.trim())
      .filter(Boolean),
  );
