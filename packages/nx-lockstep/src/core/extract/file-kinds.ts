/**
 * What kind of file a workspace path is, from its name alone: source files are parsed for
 * imports, test files never ship, assets ship as they are, anything else reached is uncertain.
 */

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

const SOURCE_PATTERN = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DECLARATION_PATTERN = /\.d\.(ts|mts|cts)$|\.d\.[^./]+\.ts$/;
const TEST_PATTERN = /(^|\/)(__tests__|__mocks__|__fixtures__)\//;
const TEST_FILE_PATTERN =
  /\.(spec|test|e2e-spec|cy|stories)\.[^./]+$|(^|\/)(test-setup|setup-tests|setupTests|jest\.setup|vitest\.setup)\.[^./]+$/;
/** Reached as leaves: they ship, but cannot import code we would miss. */
const ASSET_PATTERN =
  /\.(json|jsonc|json5|css|scss|sass|less|styl|png|jpe?g|gif|webp|avif|svg|ico|bmp|woff2?|ttf|otf|eot|mp3|mp4|webm|wav|ogg|txt|md|csv|xml|ya?ml|toml|html?|graphql|gql|wasm|node)$/i;

/** A file the extractor parses: JavaScript or TypeScript, declaration files excluded. */
export function isSourceFile(path: string): boolean {
  return SOURCE_PATTERN.test(path) && !DECLARATION_PATTERN.test(path);
}

/** A `.d.ts`: types only, erased at runtime. */
export function isDeclarationFile(path: string): boolean {
  return DECLARATION_PATTERN.test(path);
}

/** Tests, test setup, mocks, fixtures and stories never ship. */
export function isTestFile(path: string): boolean {
  return TEST_PATTERN.test(path) || TEST_FILE_PATTERN.test(path);
}

/** A story (`*.stories.ts`): a test file everywhere except in a Storybook deployable, which ships them. */
export function isStoryFile(path: string): boolean {
  return /\.stories\.[^./]+$/.test(path);
}

export function isAssetFile(path: string): boolean {
  return ASSET_PATTERN.test(path);
}
