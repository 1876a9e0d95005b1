/** PostgreSQL's unique_violation: a concurrent change took the key first. */
export const isUniqueViolation = (error: unknown): boolean => (error as { code?: string })?.code === '23505';
