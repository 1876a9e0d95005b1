/**
 * A failure the client caused or can act on. Each module declares its own codes and their HTTP
 * statuses (`satisfies Record<Code, number>`), so a new code does not compile until it has one;
 * the exception filter only reads `status`.
 */
export abstract class DomainError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    readonly status: number,
    message: string,
    /** Response headers that go with the error (a 429's Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
