// One lint rule that holds the architecture (see ../shared/STYLE.md):
// - shared/domain imports only big.js, the pure encoding/hash libraries @scure/base and @noble/hashes, node: built-ins
//   and other shared/domain files;
// - an adapter never imports another adapter or a function;
// - a function never imports another function; shared/ never imports functions/ or infra/.
import { dirname, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** Pure, dependency-free libraries the domain may use (no I/O): exact decimals, base58check, sha256. */
const DOMAIN_LIBRARIES = ['big.js', '@scure/base', '@noble/hashes'];

function area(file) {
  const parts = relative(root, file).split(sep);
  if (parts[0] === 'shared' && parts[1] === 'domain') return { kind: 'domain' };
  if (parts[0] === 'shared' && parts[1] === 'adapters') return { kind: 'adapter', name: parts[2] };
  if (parts[0] === 'shared') return { kind: 'shared' };
  if (parts[0] === 'functions') return { kind: 'function', name: parts[1] };
  return { kind: parts[0] };
}

function violation(from, source, filename) {
  const isRelative = source.startsWith('.');
  if (from.kind === 'domain') {
    if (DOMAIN_LIBRARIES.some((library) => source === library || source.startsWith(`${library}/`)) || source.startsWith('node:')) return undefined;
    if (isRelative && area(resolve(dirname(filename), source)).kind === 'domain') return undefined;
    return `shared/domain may import only ${DOMAIN_LIBRARIES.join(', ')}, node: built-ins and shared/domain (found "${source}")`;
  }
  if (!isRelative) return undefined;
  const to = area(resolve(dirname(filename), source));
  if (from.kind === 'adapter' && to.kind === 'adapter' && to.name !== from.name) return `adapter "${from.name}" must not import adapter "${to.name}"`;
  if ((from.kind === 'adapter' || from.kind === 'domain' || from.kind === 'shared') && (to.kind === 'function' || to.kind === 'infra'))
    return `shared/ must not import ${to.kind === 'function' ? 'functions/' : 'infra/'}`;
  if (from.kind === 'function' && to.kind === 'function' && to.name !== from.name) return `function "${from.name}" must not import function "${to.name}"`;
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
        return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
      },
    },
  },
};
