// Records which npm packages a process loads (ESM imports and require() alike, through Node's
// synchronous module hooks) and, when it exits, writes them sorted one a line to the file named by
// LOADED_PACKAGES_FILE (stderr without it). Used by test/e2e/lean-worker.spec.ts and docs/memory.md:
//   LOADED_PACKAGES_FILE=/tmp/worker.txt node --import ./scripts/loaded-packages.mjs dist/main.worker.js
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const packages = new Set();
const packageOf = (url) => {
  const at = url.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const [first, second] = url.slice(at + '/node_modules/'.length).split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
};

registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    const name = packageOf(result.url ?? '');
    if (name) packages.add(name);
    return result;
  },
});

process.on('exit', () => {
  const list = [...packages].sort().join('\n') + '\n';
  if (process.env.LOADED_PACKAGES_FILE) writeFileSync(process.env.LOADED_PACKAGES_FILE, list);
  else process.stderr.write(list);
});
