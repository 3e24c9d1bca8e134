/**
 * Which input paths of a resource took their value from which output of another: what the change
 * rehearsal needs to plan as the engine does (a replaced resource's computed outputs are unknown in every
 * input that took them). Pure: the harness hands over each resource's wire inputs, its property
 * dependencies (per top-level input, the resources whose outputs flowed into it: the SDK's own record,
 * RegisterResourceRequest.propertyDependencies) and the outputs the mocks computed for each resource.
 *
 * A path references an output when its value is that output, holds it between name boundaries (an ARN in a
 * policy document, an id in a list), or holds it inside base64 (user data). Only the resources the top-level
 * input depends on are searched, so equal placeholder values of unrelated resources never match.
 * An input that depends on a resource but holds none of its computed values is recorded as `derived`:
 * it was computed from that resource's known outputs (its name, given as an input) or transformed beyond
 * recognition; the rehearsal decides what that means (rehearse.ts).
 */

/** One output of a resource whose value the cloud computes: unknown in a plan that replaces the resource. */
export interface OutputToken {
  /** Dotted output path ("id", "arn", "eksCluster.endpoint"); "id" also stands for the resource's reference. */
  readonly output: string;
  readonly value: string;
  /**
   * The resource that computed it, when it is not the one holding it: a resource's outputs echo its inputs,
   * so a certificate's ARN read back through its validation is still the certificate's.
   */
  readonly from?: string;
}

/** An input path that took its value from another resource's output. */
export interface InputReference {
  /** Dotted input path (map keys and list indexes as segments). */
  readonly path: string;
  /** URN of the resource whose output it is. */
  readonly from: string;
  /** The output path, or `derived` when the input depends on the resource but holds none of its computed values. */
  readonly output: string;
}

/** The wire form of secrets and resource references (Pulumi's RPC signatures). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every scalar leaf of a value, with its dotted path; secrets are looked inside (their values never leave this module). */
function leaves(
  value: Json,
  at: string,
  visit: (path: string, leaf: string | number | boolean, reference?: string) => void,
): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => leaves(v, at ? `${at}.${i}` : String(i), visit));
    return;
  }
  if (isObject(value)) {
    if (value[SIG_KEY] === SECRET_SIG) return leaves(value.value, at, visit);
    if (value[SIG_KEY] === RESOURCE_SIG) return visit(at, String(value.urn), String(value.urn));
    for (const key of Object.keys(value).sort()) leaves(value[key], at ? `${at}.${key}` : key, visit);
    return;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") visit(at, value);
}

/**
 * The outputs of a resource that the cloud computes: its id, and every output leaf that does not echo one of
 * its inputs. An echo (the same value at the same path, or a string the inputs hold elsewhere, as pulumi-eks's
 * `eksCluster.name` holds the `name` input) stays known across a replacement; a `name` the inputs lack is
 * the provider's auto-name, which a replacement draws anew.
 */
export function computedOutputs(
  id: string,
  outputs: Record<string, Json>,
  inputs: Record<string, Json>,
): OutputToken[] {
  const givenStrings = new Set<string>();
  const givenAt = new Map<string, string>();
  leaves(inputs, "", (path, leaf) => {
    givenAt.set(path, JSON.stringify(leaf));
    if (typeof leaf === "string") givenStrings.add(leaf);
  });
  const tokens: OutputToken[] = id ? [{ output: "id", value: id }] : [];
  leaves(outputs, "", (path, leaf) => {
    if (typeof leaf === "boolean" || givenAt.get(path) === JSON.stringify(leaf)) return;
    if (path !== "name" && typeof leaf === "string" && givenStrings.has(leaf)) return;
    tokens.push({ output: path, value: String(leaf) });
  });
  return tokens;
}

const NAME_CHARACTER = /[A-Za-z0-9_-]/;

/** Whether `text` holds `token` with no name character on either side (so `vpc-id` is not inside `vpc-ids`). */
function holds(text: string, token: string): boolean {
  if (token.length < 3) return false;
  for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) {
    const before = at > 0 ? text[at - 1] : "";
    const after = text[at + token.length] ?? "";
    if (!NAME_CHARACTER.test(before) && !NAME_CHARACTER.test(after)) return true;
  }
  return false;
}

/** The text inside a base64 string (user data), when it is one. */
function base64Text(value: string): string | undefined {
  if (value.length < 16 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const text = Buffer.from(value, "base64").toString("utf8");
  return /^[\t\n\r\x20-\x7e]*$/.test(text) ? text : undefined;
}

/**
 * The references of one resource's inputs. `wireInputs` as the SDK sent them (secrets and resource
 * references in their wire form); `propertyDependencies` per top-level input; `tokens` per URN.
 */
export function inputReferences(
  wireInputs: Record<string, Json>,
  propertyDependencies: Readonly<Record<string, readonly string[]>>,
  tokens: ReadonlyMap<string, readonly OutputToken[]>,
): InputReference[] {
  const found: InputReference[] = [];
  for (const key of Object.keys(wireInputs).sort()) {
    const producers = [...new Set(propertyDependencies[key] ?? [])].sort().filter((p) => tokens.has(p));
    const matched = new Set<string>();
    leaves(wireInputs[key], key, (path, leaf, reference) => {
      if (reference !== undefined) {
        found.push({ path, from: reference, output: "id" });
        matched.add(reference);
        return;
      }
      if (producers.length === 0) return;
      const value = String(leaf);
      const decoded = typeof leaf === "string" ? base64Text(leaf) : undefined;
      for (const producer of producers) {
        for (const token of tokens.get(producer) ?? []) {
          if (
            value === token.value ||
            (typeof leaf === "string" &&
              (holds(leaf, token.value) || (decoded !== undefined && holds(decoded, token.value))))
          ) {
            found.push({ path, from: token.from ?? producer, output: token.output });
            matched.add(producer);
          }
        }
      }
    });
    for (const producer of producers) {
      if (!matched.has(producer)) found.push({ path: key, from: producer, output: "derived" });
    }
  }
  // One reference per path, producer and output, in a stable order.
  const unique = new Map(found.map((r) => [`${r.path}\u0000${r.from}\u0000${r.output}`, r]));
  return [...unique.values()].sort((a, b) =>
    a.path === b.path
      ? a.from === b.from
        ? a.output < b.output
          ? -1
          : 1
        : a.from < b.from
          ? -1
          : 1
      : a.path < b.path
        ? -1
        : 1,
  );
}

/** One resource as it registered: its URN, its wire inputs, its property dependencies. */
export interface Registration {
  readonly urn: string;
  readonly wireInputs: Record<string, Json>;
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/**
 * The references of every resource of a run, in the order they registered (a resource registers after the
 * ones whose outputs it reads). Each resource's outputs echo its inputs, so what it took from another is
 * passed on as that other's: a reader of the echo references the resource that computed the value.
 */
export function traceRun(
  registrations: readonly Registration[],
  ownTokens: ReadonlyMap<string, readonly OutputToken[]>,
): Map<string, InputReference[]> {
  const tokens = new Map(ownTokens);
  const references = new Map<string, InputReference[]>();
  for (const r of registrations) {
    const found = inputReferences(r.wireInputs, r.propertyDependencies, tokens);
    if (found.length > 0) references.set(r.urn, found);
    const own = tokens.get(r.urn);
    if (!own) continue;
    const inherited = found
      .filter((ref) => ref.output !== "derived" && ref.from !== r.urn)
      .flatMap((ref) =>
        (tokens.get(ref.from) ?? [])
          .filter((t) => t.output === ref.output && (t.from ?? ref.from) === ref.from)
          .map((t) => ({ output: t.output, value: t.value, from: ref.from })),
      );
    const seen = new Set(own.map((t) => `${t.from ?? ""}\u0000${t.output}\u0000${t.value}`));
    tokens.set(r.urn, [...own, ...inherited.filter((t) => !seen.has(`${t.from}\u0000${t.output}\u0000${t.value}`))]);
  }
  return references;
}
