// One lint rule that holds the architecture (docs/architecture.md, "Layout"). From the bottom up:
// - shared/kernel (the vocabulary: decimals, types, chains, addresses, assets, errors) and each capability's pure
//   maths (PURE_FILES) import only pure libraries, node: built-ins and other pure files;
// - shared/platform (DynamoDB, OKX, Telegram, secrets, queue, charts, config, logging) imports only the kernel and
//   itself, never a capability;
// - a capability (CAPABILITIES, in this order) imports the kernel, the platform and the capabilities before it, never
//   one after it, the bot, the app or a function;
// - shared/bot (the Telegram bot that installs every capability's feature) imports everything but the app;
//   shared/app (the composition root) imports everything in shared/;
// - shared/ never imports functions/, infra/ or dev-tools/; a function never imports another function.
import { dirname, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** Pure, dependency-free libraries pure code may use (no I/O): exact decimals, base58, hashes. */
const PURE_LIBRARIES = ['big.js', '@scure/base', '@noble/hashes'];

/** Capabilities, lowest first: each may import only those before it. */
export const CAPABILITIES = ['wallets', 'analytics', 'sync', 'portfolio', 'rebalance', 'notify', 'miniapp'];

/** Each capability's pure maths (besides shared/kernel), relative to shared/. */
const PURE_FILES = [
  /^portfolio\/(performance(-[a-z]+)?|valuation)\.ts$/,
  /^analytics\/diversification\.ts$/,
  /^rebalance\/rebalance(-bands|-inventory|-legs|-target)?\.ts$/,
  /^rebalance\/[a-z-]+-rules\.ts$/,
  /^notify\/[a-z-]+-rules\.ts$/,
  /^notify\/[a-z-]+-math\.ts$/,
  /^miniapp\/[a-z-]+-math\.ts$/,
];

function area(file) {
  const parts = relative(root, file).split(sep);
  if (parts[0] === 'functions') return { kind: 'function', name: parts[1] };
  if (parts[0] !== 'shared') return { kind: parts[0] };
  const inShared = parts.slice(1).join('/');
  const pure = parts[1] === 'kernel' || PURE_FILES.some((pattern) => pattern.test(inShared));
  if (CAPABILITIES.includes(parts[1]))
    return { kind: 'capability', name: parts[1], rank: CAPABILITIES.indexOf(parts[1]), pure, shared: true };
  return { kind: parts[1], pure, shared: true };
}

const resolvedArea = (source, filename) =>
  area(resolve(dirname(filename), source.replace(/\.[cm]?[jt]s$/, '') + '.ts'));

function violation(from, source, filename) {
  const isRelative = source.startsWith('.');
  if (from.pure) {
    if (
      PURE_LIBRARIES.some((library) => source === library || source.startsWith(`${library}/`)) ||
      source.startsWith('node:')
    )
      return undefined;
    if (isRelative && resolvedArea(source, filename).pure) return undefined;
    return `pure code (shared/kernel and each capability's maths) may import only ${PURE_LIBRARIES.join(', ')}, node: built-ins and other pure files (found "${source}")`;
  }
  if (!isRelative) return undefined;
  const to = resolvedArea(source, filename);
  if (from.kind === 'function') {
    return to.kind === 'function' && to.name !== from.name
      ? `function "${from.name}" must not import function "${to.name}"`
      : undefined;
  }
  if (!from.shared) return undefined;
  if (['function', 'infra', 'dev-tools', 'test'].includes(to.kind))
    return `shared/ must not import ${to.kind === 'function' ? 'functions' : to.kind}/`;
  if (from.kind === 'platform' && to.kind !== 'platform' && to.kind !== 'kernel')
    return `shared/platform must not import shared/${to.name ?? to.kind}`;
  if (from.kind === 'capability') {
    if (to.kind === 'bot' || to.kind === 'app') return `capability "${from.name}" must not import shared/${to.kind}`;
    if (to.kind === 'capability' && to.rank > from.rank && !to.pure)
      return `capability "${from.name}" must not import "${to.name}" (capabilities import only those before them: ${CAPABILITIES.join(' < ')}, or pure maths)`;
  }
  if (from.kind === 'bot' && to.kind === 'app') return 'shared/bot must not import shared/app';
  return undefined;
}

export const architecture = {
  rules: {
    'layer-boundaries': {
      meta: { type: 'problem', schema: [] },
      create(context) {
        const from = area(context.filename);
        const check = (node) => {
          if (!node.source || typeof node.source.value !== 'string') return;
          const message = violation(from, node.source.value, context.filename);
          if (message) context.report({ node, message });
        };
        return {
          ImportDeclaration: check,
          ExportNamedDeclaration: check,
          ExportAllDeclaration: check,
          ImportExpression: check,
        };
      },
    },
  },
};
