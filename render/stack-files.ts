/**
 * Pulumi.yaml and Pulumi.<stack>.yaml, read as the Pulumi CLI reads them for the program: the declared
 * defaults, then the stack's values, then the command line's. What the offline render cannot read as the CLI
 * would is said in one line naming the file: a YAML error with its line, an unreadable file, an encrypted
 * value (it has no secrets provider), a Pulumi ESC environment (it has no Pulumi Cloud).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { ConfigError } from "../config/errors";

export interface StackFiles {
  /** Every key as the program receives it (`namespace:key`), one string each (lists and objects as JSON). */
  readonly config: Record<string, string>;
  /** What the render should say it left out, one line each. */
  readonly warnings: readonly string[];
}

/**
 * The AWS provider's credentials: the offline render makes no AWS call, so an encrypted one is no reason to
 * refuse, and it is left out of what the program sees.
 */
const UNUSED_OFFLINE = new Set(["aws:accessKey", "aws:secretKey", "aws:token"]);

/** Reads both files under `root`; throws a ConfigError with one line per problem, each naming its file. */
export function readStackFiles(root: string, stack: string, overrides: Readonly<Record<string, string>>): StackFiles {
  const project = asMapping(readYaml(root, "Pulumi.yaml"), "Pulumi.yaml");
  const name = project.name;
  if (typeof name !== "string" || name === "")
    throw new ConfigError(["Pulumi.yaml: expected the project's name (name: eks-platform)"]);
  const stackFileName = `Pulumi.${stack}.yaml`;
  const settings = asMapping(readYaml(root, stackFileName), stackFileName);
  const declared = asMapping(project.config ?? {}, "Pulumi.yaml config");
  const values = asMapping(settings.config ?? {}, `${stackFileName} config`);
  const qualify = (key: string): string => (key.includes(":") ? key : `${name}:${key}`);
  const asString = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

  const config: Record<string, string> = {};
  for (const [key, decl] of Object.entries(declared)) {
    const fallback = (decl as { default?: unknown } | null)?.default;
    if (fallback !== undefined) config[qualify(key)] = asString(fallback);
  }
  const overridden = new Set(Object.keys(overrides).map(qualify));
  const problems: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const full = qualify(key);
    if (UNUSED_OFFLINE.has(full)) continue;
    if (hasSecure(value) && !overridden.has(full)) {
      problems.push(
        `${stackFileName}: ${full} is encrypted (secure:), which the offline render cannot decrypt (that takes the stack's secrets provider, through the Pulumi CLI); give its value with --config ${full}=<value>`,
      );
      continue;
    }
    config[full] = asString(value);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  for (const [key, value] of Object.entries(overrides)) config[qualify(key)] = value;

  const warnings: string[] = [];
  const environments = environmentNames(settings.environment);
  if (environments.length > 0) {
    // A warning, not a refusal: an environment mostly brings credentials (aws-login), which the render never
    // uses; what it would add to the configuration, the user can give on the command line.
    warnings.push(
      `${stackFileName}: environment: ${environments.join(", ")} (Pulumi ESC) is not read offline, as opening it takes Pulumi Cloud: rendered without it, so configuration it supplies is missing here (give it with --config key=value); a warning, not a refusal, since an environment mostly brings credentials, which the render never uses`,
    );
  }
  return { config, warnings };
}

/** A file's YAML, parsed once per text (every run and every run-cache key reads both files). */
function readYaml(root: string, file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, file), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    if (code === "ENOENT" && file !== "Pulumi.yaml") {
      const stacks = fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
      throw new ConfigError([
        `${file}: no such stack file; expected --stack to name one of the stacks here (${stacks.join(", ") || "none"})`,
      ]);
    }
    throw new ConfigError([`${file}: cannot be read (${code})`]);
  }
  if (parsedTexts.has(text)) return parsedTexts.get(text);
  try {
    const parsed: unknown = parseYaml(text);
    parsedTexts.set(text, parsed);
    return parsed;
  } catch (error) {
    if (error instanceof YAMLParseError) {
      // The parser's own message ends in " at line L, column C:" and a snippet: the position goes first instead.
      const reason = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
      const at = error.linePos?.[0];
      throw new ConfigError([`${file}${at ? ` line ${at.line}, column ${at.col}` : ""}: ${reason} (not valid YAML)`]);
    }
    throw new ConfigError([`${file}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`]);
  }
}
const parsedTexts = new Map<string, unknown>();

function asMapping(value: unknown, what: string): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value))
    throw new ConfigError([`${what}: expected a mapping of keys to values, got ${JSON.stringify(value)}`]);
  return value as Record<string, unknown>;
}

/** An encrypted value (`{ secure: <ciphertext> }`), at the top or anywhere inside an object or list. */
function hasSecure(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasSecure);
  if (value === null || typeof value !== "object") return false;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0][0] === "secure" && typeof entries[0][1] === "string") return true;
  return entries.some(([, v]) => hasSecure(v));
}

/** The ESC environments a stack file imports: `environment: [a, b]` or `environment: { imports: [a, b] }`. */
function environmentNames(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const imports = Array.isArray(value) ? value : (value as { imports?: unknown }).imports;
  if (Array.isArray(imports) && imports.length > 0)
    return imports.map((i) => (typeof i === "string" ? i : JSON.stringify(i)));
  return [JSON.stringify(value)];
}
