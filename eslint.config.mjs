// Lint: typescript-eslint's recommended rules for the plugin, its tests, the e2e suite and the
// scripts. Formatting is Prettier's job (npm run format:check), not ESLint's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'examples/**', '**/.nx/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Reading our own package.json is the one require() every module may keep.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['/package\\.json$'] }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests poke at Nx's loosely typed graph and caches.
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The HTML graph viewer runs in the browser (inlined into the file `lockstep graph` writes).
    files: ['packages/nx-lockstep/assets/**/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'script' },
  },
  {
    // The CLI launcher is plain CommonJS.
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
