import { registerDecorator, type ValidationOptions } from 'class-validator';
import { emailProblem } from './email-address.js';

/** Class-validator face of `emailProblem`, so DTOs and forms judge addresses the same way. */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isEmailAddress',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => emailProblem(value) === null,
        defaultMessage: (args) => emailProblem(args?.value) ?? 'email is invalid',
      },
    });
}
