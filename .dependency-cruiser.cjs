// Layers point down (README, "Architecture"): a module imports only modules of the layers below
// its own, never one beside or above it; the entry points (src/*.ts) sit on top and nothing imports
// them. `npm run lint` runs this; a new folder under src/ must be given a layer here.
const LAYERS = [
  ['config'],
  ['logging'],
  ['common'],
  ['i18n'],
  ['database'],
  ['queue'],
  ['tokens', 'passwords', 'rate-limit'],
  ['admin', 'signup-guard'],
  ['webhooks'],
  ['mail'],
  ['users'],
  ['accounts', 'ses-feedback'],
  ['retention'],
  ['overview'],
  ['web', 'health', 'metrics', 'queue-board'],
];
const ALL = LAYERS.flat();

const layerRules = LAYERS.flatMap((layer, i) =>
  layer.map((module) => {
    const notBelow = ALL.filter((other) => other !== module && !LAYERS.slice(0, i).flat().includes(other));
    return {
      name: `${module}-points-down`,
      comment: `${module} may import only from: ${LAYERS.slice(0, i).flat().join(', ') || 'nothing of the service'}`,
      severity: 'error',
      from: { path: `^src/${module}/` },
      to: { path: `^src/(${notBelow.join('|')})/` },
    };
  }),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'every-module-has-a-layer',
      comment: 'Give a new folder under src/ its layer in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: `^src/(?!(${ALL.join('|')})/)[^/]+/` },
      to: {},
    },
    {
      name: 'nothing-imports-an-entry-point',
      severity: 'error',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
    {
      name: 'no-cycles',
      comment: 'type-only imports do not count: they are gone at run time',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/database/migrations/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
