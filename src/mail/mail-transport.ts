export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one email; resolves with the provider's message id. SES in production and tests. */
export abstract class MailTransport {
  abstract send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
