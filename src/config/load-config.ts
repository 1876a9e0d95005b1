import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { existsSync } from 'node:fs';
import { Environment } from './environment.js';
import type { SettingsClass } from './settings.js';

export class ConfigError extends Error {}

function firstMessage(error: ValidationError): string {
  const message = Object.values(error.constraints ?? {})[0] ?? 'is invalid';
  return message.startsWith(error.property) ? message : `${error.property} ${message}`;
}

/** What a refused value looks like in the error line: secrets and webhook URLs not at all, a URL without its password. */
function shown(variable: string, raw: string): string {
  // Webhook URLs may carry a token in their path or query; their check names the entry instead.
  if (['SECRET', 'TOKEN', 'WEBHOOK_URLS'].some((part) => variable.includes(part))) return '';
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return ` (got ${JSON.stringify(url.password ? url.toString() : raw)})`;
  } catch {
    return ` (got ${JSON.stringify(raw)})`; // escaped: a line break in a value stays in the one line
  }
}

function validated<T extends object>(settings: new () => T, env: NodeJS.ProcessEnv): T {
  const instance = plainToInstance(settings, env, { excludeExtraneousValues: true, exposeDefaultValues: true });
  const [error] = validateSync(instance, { stopAtFirstError: true });
  if (error) {
    const raw = env[error.property];
    throw new ConfigError(`Invalid configuration: ${firstMessage(error)}${raw === undefined ? '' : shown(error.property, raw)}`);
  }
  return instance;
}

/**
 * Validates the environment: the variables every module reads, then each module's own settings
 * (`modules`, from the entry points), merged into one Environment. Throws a ConfigError whose
 * message is one line naming the variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv, modules: readonly SettingsClass[]): Environment {
  const config = validated(Environment, env);
  for (const settings of modules) Object.assign(config, validated(settings, env));
  // Said, not defaulted: a production process started without NODE_ENV must not run on the published secret.
  const developing = env.NODE_ENV === 'development' || env.NODE_ENV === 'test';
  if (!developing && config.APP_SECRET === undefined) {
    throw new ConfigError('Invalid configuration: APP_SECRET is required (at least 32 characters) unless NODE_ENV is development or test');
  }
  if (!developing && config.APP_SECRET === Environment.devSecret) {
    throw new ConfigError(
      'Invalid configuration: APP_SECRET is the published development value, accepted only when NODE_ENV is development or test',
    );
  }
  if (!developing && config.TRUST_PROXY.trim().toLowerCase() === 'true') {
    throw new ConfigError(
      "Invalid configuration: TRUST_PROXY=true believes any client's X-Forwarded-For and is accepted only when NODE_ENV is development or test; set the number of proxies in front (e.g. 1) or their addresses/subnets",
    );
  }
  for (const settings of modules) {
    const problem = settings.problem?.(config);
    if (problem) throw new ConfigError(`Invalid configuration: ${problem}`);
  }
  config.APP_SECRET ??= Environment.devSecret;
  return config;
}

/** For the entry points: loads `.env` when present, then validates or exits with one clear line. */
export function loadConfigOrExit(modules: readonly SettingsClass[]): Environment {
  return orExit(() => loadConfig(process.env, modules));
}

/** For a command that needs one module's settings only (the migrations: the database's): the same, for that class alone. */
export function loadSettingsOrExit<T extends object>(settings: new () => T): T {
  return orExit(() => validated(settings, process.env));
}

function orExit<T>(load: () => T): T {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
