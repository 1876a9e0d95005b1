import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { existsSync } from 'node:fs';
import { Environment } from './environment.js';

export class ConfigError extends Error {}

function firstMessage(error: ValidationError): string {
  const message = Object.values(error.constraints ?? {})[0] ?? 'is invalid';
  return message.startsWith(error.property) ? message : `${error.property} ${message}`;
}

/** Validates the environment; throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Environment {
  const config = plainToInstance(Environment, env, {
    excludeExtraneousValues: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(config, { stopAtFirstError: true });
  if (errors.length > 0) {
    const error = errors[0];
    const raw = env[error.property];
    // Secrets are never echoed; nor are webhook URLs, whose path or query may carry one (their check names the entry).
    const secret = ['SECRET', 'TOKEN', 'WEBHOOK_URLS'].some((part) => error.property.includes(part));
    const shown = secret ? '' : ` (got "${raw}")`;
    throw new ConfigError(`Invalid configuration: ${firstMessage(error)}${raw === undefined ? '' : shown}`);
  }
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
  if (config.METRICS_PORT !== undefined && config.METRICS_PORT === config.PORT) {
    throw new ConfigError(`Invalid configuration: METRICS_PORT must differ from PORT (got "${config.METRICS_PORT}")`);
  }
  if (config.NODE_ENV === 'production' && config.SNS_CERT_URL_PREFIXES !== undefined) {
    throw new ConfigError(
      'Invalid configuration: SNS_CERT_URL_PREFIXES is for tests and local emulators and is refused in production (SNS certificates come only from sns.<region>.amazonaws.com)',
    );
  }
  if (config.REDIS_CLUSTER_NODES && config.QUEUE_BACKEND === 'redis' && !/\{[^}]+\}/.test(config.QUEUE_PREFIX)) {
    throw new ConfigError(
      `Invalid configuration: QUEUE_PREFIX must contain a hash tag such as {signup} with REDIS_CLUSTER_NODES (got "${config.QUEUE_PREFIX}")`,
    );
  }
  config.APP_SECRET ??= Environment.devSecret;
  return config;
}

/** For the entry points: loads `.env` when present, then validates or exits with one clear line. */
export function loadConfigOrExit(): Environment {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
