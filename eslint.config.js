// Lint rules: the recommended sets of ESLint and typescript-eslint (syntax-only, so a lint pass stays a
// few seconds), plus the few rules this codebase leans on. Formatting is prettier's job, not ESLint's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'src/generated/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused names are dead code, except the `_`-prefixed ones a signature needs.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Peers files, terminal output and Telegram texts are checked for control characters on purpose.
      'no-control-regex': 'off',
      // Flags `let x = fallback; try { x = … }`, the shape every cleanup-in-finally here takes.
      'no-useless-assignment': 'off',
    },
  },
  {
    // GramJS stays behind the Telegram door: the rest of the job sees plain rows, keys and results
    // (src/telegram/gateway.ts maps every reply), so a GramJS upgrade touches src/telegram/ only.
    // Tests, benches and the local data center may use GramJS to build and read Telegram's objects.
    files: ['src/**/*.ts', 'src/**/*.mjs'],
    ignores: ['src/telegram/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'telegram', message: 'Only src/telegram/ imports GramJS; use the gateway.' }],
          patterns: [{ group: ['telegram/*'], message: 'Only src/telegram/ imports GramJS; use the gateway.' }],
        },
      ],
    },
  },
  {
    // The naive baseline of the write bench handles rows of every table through one untyped path.
    files: ['bench/naive-writer.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
