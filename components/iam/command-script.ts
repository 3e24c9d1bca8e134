/** What the delete- and create-time command scripts share beside their credentials (assume-role-chain.ts). */

/** A `--<flag>` value in whole seconds, at least `least`; throws naming the flag and what it expects. */
export function wholeSeconds(flag: string, value: string | undefined, least = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < least)
    throw new Error(`--${flag} ${String(value)}: expected whole seconds, at least ${least}`);
  return n;
}

/** How many looks a poll makes in `timeoutSeconds` at `intervalSeconds` apart: the first at once, the last at the deadline. */
export function pollAttempts(timeoutSeconds: number, intervalSeconds: number): number {
  return Math.max(1, Math.floor(timeoutSeconds / intervalSeconds) + 1);
}

/**
 * Runs a delete- or create-time command's `main` when its file is the one node was started with: its exit code,
 * or 1 with one line naming the script and the error (and, where given, what to do about it).
 */
export function runAsScript(
  module: NodeModule,
  name: string,
  main: (argv: readonly string[]) => Promise<number>,
  hint?: string,
): void {
  if (require.main !== module) return;
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `${name}: ${error instanceof Error ? error.message : String(error)}${hint ? ` (${hint})` : ""}\n`,
      );
      process.exitCode = 1;
    },
  );
}
