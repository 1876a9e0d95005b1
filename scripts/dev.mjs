// `npm run dev`: build, apply migrations, then run the SES emulator, web and worker together,
// recompiling and restarting on change. Settings come from .env when present, else the defaults below.
import concurrently from 'concurrently';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (existsSync('.env')) process.loadEnvFile('.env');
const SES_PORT = process.env.SES_EMULATOR_PORT ?? '8005';
const devDefaults = {
  AWS_ENDPOINT_URL_SES: `http://127.0.0.1:${SES_PORT}`,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  // concurrently pipes the processes' output, so they see no terminal: ask for readable logs here.
  LOG_FORMAT: 'pretty',
};
const env = { ...process.env };
// An empty value in .env means "not set": keep dev pointed at the emulator, never at real SES by accident.
for (const [key, value] of Object.entries(devDefaults)) if (!env[key]) env[key] = value;

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit', env });
run('npx', ['nest', 'build']);
run('node', ['dist/database/migrate.js']);

const port = env.PORT ?? '3000';
console.log(
  `\n  App:         http://localhost:${port}\n  SES inbox:   http://localhost:${SES_PORT}\n  API docs:    http://localhost:${port}/api/docs\n`,
);

const { result } = concurrently(
  [
    { name: 'ses', command: `aws-ses-v2-local --host 127.0.0.1 --port ${SES_PORT}`, prefixColor: 'magenta' },
    { name: 'tsc', command: 'tsc -p tsconfig.json --watch --preserveWatchOutput', prefixColor: 'gray' },
    { name: 'web', command: 'node --watch-path=dist dist/main.js', prefixColor: 'cyan' },
    { name: 'worker', command: 'node --watch-path=dist dist/main.worker.js', prefixColor: 'yellow' },
  ].map((command) => ({ ...command, env })),
  { killOthersOn: ['failure'], prefix: 'name' },
);
result.catch(() => process.exit(1));
