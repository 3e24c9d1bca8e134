/** A failing test: its describe blocks and name, outermost first, and its YAML block (dedented). */
export interface TapFailure {
  readonly path: readonly string[];
  readonly block: readonly string[];
}

/** The failures of a node test runner TAP stream, and its closing counts (`# tests N`, `# pass N`, ...). */
export function tapSummary(tap: string): { failures: TapFailure[]; closing: string[] };

/** Node's arguments for package.json's test:unit, with the TAP reporter; throws if the script is not `node ... --test ...`. */
export function unitSuiteArgs(packageJson?: string): string[];

/** The project's folder. */
export const PROJECT_ROOT: string;
