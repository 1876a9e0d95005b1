import 'reflect-metadata';
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { IsString } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { AppValidationPipe, QUICK_ACCEPT, VALIDATION_OPTIONS } from '../../src/common/validation/app-validation.pipe.js';
import { RegisterDto } from '../../src/users/dto/register.dto.js';

/** Every combination of these, as a JSON body would bring it (absent fields left out). */
const EMAILS = [
  'ada@example.com',
  '  Ada@Example.COM\t',
  'not-an-address',
  '',
  'ada@exämple.com',
  42,
  null,
  ['a@b.co'],
  `${'l'.repeat(65)}@example.com`,
];
const LOCALES = [undefined, 'de', 'pt-BR', '', 'x'.repeat(35), 'x'.repeat(36), '😀'.repeat(18), null, 7, ['de']];
const ANSWERS = [undefined, 'eyJhbGdvcml0aG0iOiJQQktERjIvU0hBLTI1NiJ9', '', 12, { a: 1 }, null];
const EXTRAS: Record<string, unknown>[] = [{}, { name: 'Ada' }, { constructor: 'x' }];

function* bodies(): Generator<unknown> {
  for (const email of EMAILS)
    for (const locale of LOCALES)
      for (const altcha of ANSWERS)
        for (const captcha of [undefined, 'token', 3])
          for (const extra of EXTRAS) yield JSON.parse(JSON.stringify({ email, locale, altcha, captcha, ...extra }));
  yield* [null, [], 'ada@example.com', {}, Object.assign(Object.create(null), { email: 'ada@example.com' })];
}

// The full pass alone: Nest's pipe with the app's options, no quick acceptor.
const fullPass = new ValidationPipe(VALIDATION_OPTIONS);

describe('a quick acceptor', () => {
  it('accepts only what the full validation accepts, and makes the same DTO', async () => {
    let quick = 0;
    let total = 0;
    for (const body of bodies()) {
      total++;
      const full = await fullPass.transform(structuredClone(body), { type: 'body', metatype: RegisterDto }).then(
        (dto: unknown) => ({ dto }),
        (error: unknown) => ({ error }),
      );
      // As it came (the clone above would give a prototype-less body one); the acceptor changes nothing.
      const accepted = RegisterDto[QUICK_ACCEPT](body);
      if (accepted === undefined) continue;
      quick++;
      expect(full, JSON.stringify(body)).toHaveProperty('dto');
      expect(accepted).toBeInstanceOf(RegisterDto);
      expect(accepted, JSON.stringify(body)).toStrictEqual((full as { dto: unknown }).dto);
    }
    // The common bodies do take the quick way (a valid address, with or without a locale and answers).
    expect(quick).toBeGreaterThan(20);
    expect(quick).toBeLessThan(total / 4);
  });

  it('leaves refusals, and their words, to the full validation', async () => {
    const pipe = new AppValidationPipe();
    const refusal = (body: unknown) =>
      pipe.transform(body, { type: 'body', metatype: RegisterDto }).then(
        () => undefined,
        (error: BadRequestException) => error.getResponse(),
      );
    await expect(refusal({ email: 'ada@example.com', name: 'Ada' })).resolves.toMatchObject({
      message: ['property name should not exist'],
    });
    await expect(refusal({ email: 'ada@example.com', locale: 'x'.repeat(36) })).resolves.toMatchObject({
      message: ['locale must be shorter than or equal to 35 characters'],
    });
    await expect(refusal({ email: 'plainaddress' })).resolves.toMatchObject({ message: [expect.stringMatching(/like name@example\.com/)] });
  });

  it('is used by the pipe for the class that declares it, not for one that extends it', async () => {
    class NamedRegisterDto extends RegisterDto {
      name!: string;
    }
    IsString()(NamedRegisterDto.prototype, 'name');
    const pipe = new AppValidationPipe();
    const dto = await pipe.transform({ email: ' ada@example.com ' }, { type: 'body', metatype: RegisterDto });
    expect(dto).toStrictEqual(Object.assign(new RegisterDto(), { email: 'ada@example.com' }));
    await expect(pipe.transform({ email: 'ada@example.com' }, { type: 'body', metatype: NamedRegisterDto })).rejects.toThrow(
      BadRequestException,
    );
  });
});
