import tseslint from 'typescript-eslint';
import { architecture } from './dev-tools/eslint-architecture.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', 'cdk.out/**', '.data/**', 'dist/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { esther: architecture },
    rules: {
      'esther/layer-boundaries': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**/*.ts', 'dev-tools/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
