import { applyDecorators } from '@nestjs/common';
import { Expose, Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Environment } from './environment.js';

/**
 * A module's settings: a class of variables with their defaults and class-validator checks, and
 * optionally a check across the whole environment (`problem`: null when fine). The entry points
 * list every module's class (app.registry.ts); the loader validates each and merges them.
 */
export interface SettingsClass {
  new (): object;
  problem?(env: Environment): string | null;
}

export const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);

export const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;

export const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no', ''].includes(v)) return false;
  return value;
};

export const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** A port that may be left unset (or empty): then the listener it names is not started. */
export const OptionalPort = () =>
  applyDecorators(
    Expose(),
    Transform((v) => toInt({ value: emptyToUndefined(v) })),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(65535),
  );
