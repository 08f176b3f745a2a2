import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'cdktf.out/', 'modules/*/', 'bench/out/', '**/*.js', '!eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // The barrel costs ~5 s and ~500 MB per process: import each resource from its own module.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@cdktf/provider-aws',
              message: "Import from '@cdktf/provider-aws/lib/<resource>' instead: the barrel loads every resource.",
            },
          ],
          patterns: [{ regex: '^@cdktf/provider-aws/lib/?$', message: 'Import a single resource module.' }],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['constructs/private/**/*.ts'],
    rules: {
      // Pure helpers: no cdktf, so they test in milliseconds.
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(cdktf|constructs|@cdktf/)', message: 'constructs/private/ must not import cdktf.' }] },
      ],
    },
  },
  {
    // Plain Node scripts (the build, the main job's launcher, the version check).
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['__tests__/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
