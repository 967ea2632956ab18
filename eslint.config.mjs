// Lint configuration: typescript-eslint's type-checked recommended rules over every TypeScript file that
// tsconfig.json compiles (src/, test/, scripts/). JavaScript files (scripts/*.mjs, jest.config.js) are small glue
// outside the type-checked project and are not linted. Formatting is Prettier's job (.prettierrc.json), not ESLint's.
//
// eslint-suppressions.json (ESLint's bulk suppressions, per file and rule, with counts) holds the findings in files
// that other parts of issue 13 were rewriting while this config was added: they are fixed after the merge, then
// `npx eslint --prune-suppressions` empties the file and it is deleted. A new finding anywhere still fails the lint.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      ...['dist/**', 'dist-bundle/**', 'node_modules/**', '.tools/**', 'coverage/**', '.lab/**', '.azure-package/**'],
      ...['**/*.js', '**/*.mjs', '**/*.cjs'],
    ],
  },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A caught `unknown` is passed on unchanged so that callers can still recognise an SDK error with
      // isRestError()/statusCode (STYLE.md); wrapping it in a new Error would lose that. Rejecting with a
      // literal or a plain object is still reported.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // `_name` marks a parameter or destructured field that is deliberately ignored (test.each rows, rest omits).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Fakes implement our async interfaces (Inventory, resolvers, token sources) with `async` methods that return
      // plain data; `async` states the contract, and `Promise.resolve(...)` in every fake would only add noise.
      '@typescript-eslint/require-await': 'off',
      // @types/jest types the asymmetric matchers (expect.any, expect.stringMatching, expect.arrayContaining) as
      // `any`, so every expected object that holds one is reported; that is all this rule found in test/.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
