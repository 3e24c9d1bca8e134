/** `npm run render`'s command line: what it takes, and the one error it raises for a bad one. */
import * as path from "node:path";
import { parseArgs } from "node:util";

export const USAGE = "usage: npm run render -- [--stack dev] [--out out/render] [--config key=value ...]";

export interface RenderOptions {
  readonly stack: string;
  readonly out: string;
  readonly config: Record<string, string>;
}

/** Command-line arguments; throws a UsageError naming what is wrong. */
export function parseRenderArgs(argv: readonly string[]): RenderOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      stack: { type: "string", default: "dev" },
      out: { type: "string", default: path.join("out", "render") },
      config: { type: "string", multiple: true, default: [] },
    },
    strict: true,
    allowPositionals: false,
  });
  const config: Record<string, string> = {};
  for (const pair of values.config ?? []) {
    const cut = pair.indexOf("=");
    if (cut <= 0) throw new UsageError(`--config ${pair}: expected key=value (as in pulumi config set key value)`);
    config[pair.slice(0, cut)] = pair.slice(cut + 1);
  }
  return { stack: values.stack ?? "dev", out: values.out ?? path.join("out", "render"), config };
}

export class UsageError extends Error {}
