/** Invalid configuration, and the one line a failed AWS lookup is reported by. */
import * as pulumi from "@pulumi/pulumi";

/** Invalid configuration: printed by Pulumi without a stack trace, one line per bad key. */
export class ConfigError extends pulumi.RunError {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** The first line of an error: what a lookup's failure reads as in a problem line. */
export function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}
