import { LOCALES } from './locales.js';
import { Translator } from './translator.js';

let translator: Translator | undefined;

/**
 * The one Translator of the process, holding every catalogue (SUPPORTED_LOCALES only narrows which
 * are offered): loaded once, on first use, by the pages' and the emails' Handlebars helpers.
 */
export const sharedTranslator = (): Translator => (translator ??= new Translator(LOCALES));
