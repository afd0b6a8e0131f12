// ESLint for the UI: the recommended sets of ESLint, typescript-eslint and eslint-plugin-svelte,
// with formatting left to Prettier. Every rule switched off or changed says why.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default defineConfig(
  // Built, installed or generated (the IPC bindings are checked by their generator's test).
  { ignores: ['dist/', 'node_modules/', 'e2e/screenshots/', 'src/lib/bindings.ts', '**/*.gen.ts'] },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  svelte.configs.prettier,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig },
    },
  },
  {
    // A promise nobody awaits or catches is an unhandled rejection waiting to happen (issue 13).
    // `void p` stays allowed: it marks a promise that cannot reject (`Loader.load`, `attempt`).
    // Event handlers may return promises (Svelte ignores the value), hence checksVoidReturn off.
    // Needs the types, so only for our sources.
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    rules: {
      // `_`-prefixed names are deliberately unused (destructuring a field away, an unused parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
);
