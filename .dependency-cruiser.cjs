/**
 * The house's dependency rules, held by dependency-cruiser (`npm run check:deps`, part of `npm test`).
 *
 *   src/domain     pure rules: imports nothing of ours outside itself
 *   src/view       platform-neutral views: the domain, the words (src/i18n) and errors only
 *   src/ (core)    knows no adapter and no workflow; only src/main.ts (the composition root) wires them
 *   adapters/X     one platform each: never another platform, never the core's internals (commands,
 *                  stores, policy loading), only its public surface (core, ports, domain, view, i18n, …)
 *   workflows/     what happens over time: the core's public surface only
 *   no cycles anywhere
 */

/** What an adapter or a workflow may use of the core. */
const PUBLIC_CORE = [
  '^src/core\\.ts$',
  '^src/ports/',
  '^src/domain/',
  '^src/view/',
  '^src/i18n/',
  '^src/errors\\.ts$',
  '^src/log\\.ts$',
  '^src/clock\\.ts$',
  '^src/readiness\\.ts$',
  '^src/directory/schema\\.ts$',
  '^src/lib/',
];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one: split what both need into a third.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain holds pure rules: it depends on nothing of ours outside itself.',
      from: { path: '^src/domain/' },
      to: { path: '^(src|adapters|workflows)/', pathNot: '^src/domain/' },
    },
    {
      name: 'view-only-domain',
      severity: 'error',
      comment: 'src/view turns domain records into platform-neutral views: domain, words and errors only.',
      from: { path: '^src/view/' },
      to: {
        path: '^(src|adapters|workflows)/',
        pathNot: ['^src/view/', '^src/domain/', '^src/i18n/', '^src/errors\\.ts$', '^src/log\\.ts$', '^src/directory/schema\\.ts$'],
      },
    },
    {
      name: 'core-knows-no-platform',
      severity: 'error',
      comment: 'Only the composition root (src/main.ts) imports adapters or workflows.',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^(adapters|workflows)/' },
    },
    {
      name: 'adapters-stay-apart',
      severity: 'error',
      comment: 'A platform adapter never reaches into another: adding a platform is one folder.',
      from: { path: '^adapters/([^/]+)/' },
      to: { path: '^adapters/', pathNot: '^adapters/$1/' },
    },
    {
      name: 'adapters-use-the-public-core',
      severity: 'error',
      comment: 'Adapters call the core (src/core.ts) and its ports and views, never commands or stores directly.',
      from: { path: '^adapters/' },
      to: { path: '^src/', pathNot: PUBLIC_CORE },
    },
    {
      name: 'workflows-use-the-public-core',
      severity: 'error',
      comment: 'Workflows run the core\'s commands through src/core.ts and its ports.',
      from: { path: '^workflows/' },
      to: { path: '^(src|adapters)/', pathNot: PUBLIC_CORE },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(src|adapters|workflows)/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
    moduleSystems: ['es6'],
  },
};
