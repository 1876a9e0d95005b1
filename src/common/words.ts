/**
 * What to tell a person, by message key (src/i18n/locales/<locale>.json) and its arguments: the pages
 * and emails say it in the reader's language, while the API keeps its stable English `message`.
 */
export interface Words {
  readonly key: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** An argument that is a length of time: written out in the reader's language ("2 hours", "2 Stunden"). */
export interface DurationArgument {
  readonly durationSeconds: number;
}

export const words = (key: string, params?: Record<string, unknown>): Words => (params ? { key, params } : { key });
export const duration = (seconds: number): DurationArgument => ({ durationSeconds: seconds });
export const isDuration = (value: unknown): value is DurationArgument =>
  typeof value === 'object' && value !== null && typeof (value as DurationArgument).durationSeconds === 'number';
