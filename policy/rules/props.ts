/**
 * What every rule works on, and safe ways to read it.
 *
 * The policy engine hands a policy the resource's properties wrapped in a proxy that throws
 * `UnknownValueError` when a value Pulumi cannot know during `pulumi preview` is read (an ARN or id
 * the cloud assigns). The analyzer turns that error into an advisory "can't run policy ... during
 * preview" instead of a verdict (@pulumi/policy 1.21.0 proxy.js, and server.js makeAnalyzeRpcFun).
 * Rules let that happen wherever they need a value; where only a property's presence matters (a
 * KMS key ARN, a launch template id), they read it with `present`, which counts an unknown value as
 * set: the program did set it, the cloud only has not computed it yet.
 */

/** One resource as a policy sees it: its type token and its properties (inputs, or outputs for stack policies). */
export interface PolicyInput {
  readonly type: string;
  readonly props: Readonly<Record<string, unknown>>;
}

/** One resource of the stack, for the cross-resource rules. */
export interface StackInput extends PolicyInput {
  readonly urn: string;
  readonly name: string;
  /** URNs of the resources it depends on (the engine's PolicyResource.dependencies), to tie a flow log to its VPC without ids, unknown in a preview. */
  readonly dependencies: readonly string[];
}

/** A rule's verdict on one resource: its violations, or why the rule does not apply to it. */
export type Verdict = readonly string[] | { readonly notApplicable: string };

/** A stack rule's finding, naming the resource at fault where there is one. */
export interface StackViolation {
  readonly message: string;
  readonly urn?: string;
}

export function notApplicable(reason: string): Verdict {
  return { notApplicable: reason };
}

/**
 * The error the policy proxy throws on an unknown value. The class is not in @pulumi/policy's type
 * declarations (proxy.d.ts is empty), so it is recognised by its constructor's name (proxy.js).
 */
function isUnknownValueError(error: unknown): boolean {
  return error instanceof Error && error.constructor.name === "UnknownValueError";
}

/** Plain-object view of a value (no arrays), or undefined. */
export function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Follows a path of keys; undefined where any step is missing or not an object. Unknown values throw (see above). */
export function get(value: unknown, ...path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** A string at a path, or undefined if it is not a string. */
export function str(value: unknown, ...path: readonly (string | number)[]): string | undefined {
  const found = get(value, ...path);
  return typeof found === "string" ? found : undefined;
}

/** The elements of an array at a path ([] if there is none). */
export function list(value: unknown, ...path: readonly (string | number)[]): readonly unknown[] {
  const found = get(value, ...path);
  return Array.isArray(found) ? found : [];
}

/** String-to-string map at a path (Kubernetes labels, annotations), non-string values left out. */
export function stringMap(value: unknown, ...path: readonly (string | number)[]): Readonly<Record<string, string>> {
  const found = asRecord(get(value, ...path)) ?? {};
  const result: Record<string, string> = {};
  for (const key of Object.keys(found)) {
    const entry = found[key];
    if (typeof entry === "string") result[key] = entry;
  }
  return result;
}

/**
 * Whether the program set a property at this path (not undefined, null or ""): an unknown value
 * counts as set.
 */
export function present(value: unknown, ...path: readonly (string | number)[]): boolean {
  try {
    const found = get(value, ...path);
    return found !== undefined && found !== null && found !== "";
  } catch (error) {
    if (isUnknownValueError(error)) return true;
    throw error;
  }
}

/** The resource's properties carry no keys at all (a component registered without its inputs). */
export function isEmpty(props: Readonly<Record<string, unknown>>): boolean {
  return Object.keys(props).length === 0;
}
