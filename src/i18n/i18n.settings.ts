import { Expose, Transform } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn } from 'class-validator';
import { LOCALES, type Locale } from './locales.js';

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '')
    : value;

/** The languages of pages and emails. Validated at start-up with the rest (config/load-config.ts). */
export class I18nSettings {
  /** Comma-separated, first = the fallback; each must have a catalogue. */
  @Expose()
  @Transform(toList)
  @IsArray()
  @ArrayNotEmpty({ message: 'SUPPORTED_LOCALES must name at least one language' })
  @IsIn(LOCALES, { each: true, message: `SUPPORTED_LOCALES may only name ${LOCALES.join(', ')}` })
  SUPPORTED_LOCALES: Locale[] = [...LOCALES];
}

// Every module's settings are read through the one Environment the loader builds from them.
declare module '../config/environment.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Environment extends I18nSettings {}
}
