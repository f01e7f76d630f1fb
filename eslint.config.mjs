// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Layer order (docs/adr/0001-layers.md): a lib may import only libs to its left. */
const layers = [
  ['common'],
  ['telemetry'],
  ['resilience'],
  ['load-balancing', 'registry', 'key-value', 'security'],
  ['runtime'],
  ['stateful'],
];
const allLibs = layers.flat();

/** @param {string} lib */
function forbiddenFor(lib) {
  const rank = layers.findIndex((layer) => layer.includes(lib));
  return allLibs.filter((other) => layers.findIndex((l) => l.includes(other)) >= rank && other !== lib);
}

const noDeepImports = {
  group: ['@toskamesh/*/*', '**/libs/*/src/**', '../../libs/**', '../../apps/**'],
  message: 'Import another package only through its name (its src/index.ts barrel).',
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', 'bench/results/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-restricted-imports': ['error', { patterns: [noDeepImports] }],
    },
  },
  ...allLibs.map((lib) => ({
    files: [`libs/${lib}/src/**/*.ts`],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noDeepImports,
            {
              group: [...forbiddenFor(lib).map((other) => `@toskamesh/${other}`), '@toskamesh/testing'],
              message: `libs/${lib} sits below these packages in the layer order (docs/adr/0001-layers.md).`,
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['**/src/index.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'Barrels list named exports.' },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/unbound-method': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
  {
    files: ['jest.config.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
