import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';

/**
 * A DTO may judge its common, valid body itself (a static method under this key, on the class
 * itself, not inherited): it returns the instance the full pass would make, or undefined for
 * anything else, which then takes the full pass, the only one that words refusals.
 */
export const QUICK_ACCEPT = Symbol('quickAccept');

type QuickAccepting = { [QUICK_ACCEPT]: (body: unknown) => object | undefined };

/** What every body is held to: only the DTO's fields, each checked, the first problem per field. */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: true,
};

const hasQuickAccept = (metatype: unknown): metatype is QuickAccepting =>
  typeof metatype === 'function' && Object.hasOwn(metatype, QUICK_ACCEPT);

/**
 * The app's ValidationPipe: class-transformer and class-validator judge every body, but for a DTO
 * with a quick acceptor a valid body skips their pass (about 50 µs of the web's CPU per sign-up,
 * the largest single item on that path; bench/README.md). test/unit/app-validation.pipe.spec.ts holds
 * each acceptor to the full pass's answers.
 */
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super(VALIDATION_OPTIONS);
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && hasQuickAccept(metadata.metatype)) {
      const accepted = metadata.metatype[QUICK_ACCEPT](value);
      if (accepted !== undefined) return Promise.resolve(accepted);
    }
    return super.transform(value, metadata);
  }
}
