// Which Node.js this project runs on: package.json's `engines` (the floor its dependencies set:
// typeorm needs 22.13+ or 24.11+, the Nest CLI 22.22.3+ or 24.15+). Kept in step with `engines` by
// test/unit/node-version.spec.ts. `node scripts/node-version.mjs` exits 1 with one line on an older Node
// (.ci/run then brings Node 24), and `npm run dev` stops with that line.
import { fileURLToPath } from 'node:url';

export const NODE_ENGINES = '^22.22.3 || >=24.15.0';
export const NODE_TO_INSTALL = '24';

/** Whether a Node.js version ("24.15.0", "v22.22.3") satisfies NODE_ENGINES. */
export function nodeSupported(version) {
  const [major, minor, patch] = version.replace(/^v/, '').split('.').map(Number);
  if (major === 22) return minor > 22 || (minor === 22 && patch >= 3);
  if (major === 24) return minor >= 15;
  return major > 24;
}

export const nodeTooOld = (version) =>
  `Node.js ${version.replace(/^v/, '')} is too old for this project (it needs ${NODE_ENGINES}): install Node.js ${NODE_TO_INSTALL} (https://nodejs.org/en/download) and run this again.`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!nodeSupported(process.version)) {
    console.error(nodeTooOld(process.version));
    process.exit(1);
  }
}
