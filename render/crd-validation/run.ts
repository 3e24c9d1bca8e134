/**
 * The custom resources of a run checked against the CRDs the run applies: every object the program registers
 * (a `kubernetes:<group>/<version>:<Kind>` resource) and every object its Helm releases expand to, whose group
 * one of those CRDs defines. The CRDs are the ones the program applies from the pinned chart archives (its
 * ConfigGroups), with any a release installs itself. What the render refuses on, one line per violation.
 */
import { KUBERNETES } from "../../components/resource-types";
import type { ChartExpansion } from "../charts";
import type { ProgramRun } from "../harness";
import { type KubeObject, metaOf } from "../kube";
import { configGroupObjects } from "../manifests";
import { compileRules } from "./cel-rules";
import { type CrdIndex, indexCrds, servedVersion } from "./crd-index";
import { validatorFor } from "./openapi";
import { type Violation, validateCustomResource } from "./validate";

/** One custom resource, checked. */
export interface CustomResourceReport {
  /** `<Kind> <name>`, or `<Kind> <namespace>/<name>` when namespaced. */
  readonly object: string;
  /** Where it comes from: the program, or `Helm release <namespace>/<name>`. */
  readonly from: string;
  readonly violations: readonly Violation[];
  readonly rulesEvaluated: number;
  readonly rulesSkipped: number;
}

export interface RunCustomResourceCheck {
  readonly checked: readonly CustomResourceReport[];
  /** Objects left unchecked, and why: values only known at deploy time (`[unknown]`, `[secret]`). */
  readonly unchecked: readonly string[];
  readonly violations: number;
  readonly rulesEvaluated: number;
  readonly rulesSkipped: number;
}

/** Every CRD the run applies: its ConfigGroups' (the pinned charts' crds/), and those a release installs itself. */
export function crdsApplied(run: ProgramRun, charts?: ChartExpansion): CrdIndex {
  const applied = run.resources.filter((r) => r.type === KUBERNETES.configGroup).flatMap(configGroupObjects);
  const released = charts && "expanded" in charts ? charts.expanded.flatMap((e) => e.objects.map((o) => o.object)) : [];
  return indexCrds([...applied, ...released].filter((o) => o.kind === "CustomResourceDefinition"));
}

/** The Kubernetes objects a run declares besides releases, ConfigGroups and providers, and those releases expand to. */
function objectsOf(run: ProgramRun, charts?: ChartExpansion): Array<{ object: KubeObject; from: string }> {
  const own = run.resources
    .filter(
      (r) =>
        r.custom &&
        r.type.startsWith("kubernetes:") &&
        r.type !== KUBERNETES.helmRelease &&
        r.type !== KUBERNETES.configGroup,
    )
    .map((r) => ({ object: r.inputs, from: "" }));
  const expanded =
    charts && "expanded" in charts
      ? charts.expanded.flatMap((e) => e.objects.map((o) => ({ object: o.object, from: `Helm release ${e.release}` })))
      : [];
  return [...own, ...expanded];
}

/** Whether a value holds a placeholder the harness records for what only a deploy knows. */
function holdsPlaceholder(value: unknown): boolean {
  if (value === "[unknown]" || value === "[secret]") return true;
  if (Array.isArray(value)) return value.some(holdsPlaceholder);
  return typeof value === "object" && value !== null && Object.values(value).some(holdsPlaceholder);
}

export function checkCustomResources(run: ProgramRun, charts?: ChartExpansion): RunCustomResourceCheck {
  const index = crdsApplied(run, charts);
  const checked: CustomResourceReport[] = [];
  const unchecked: string[] = [];
  for (const { object, from } of objectsOf(run, charts)) {
    const served = servedVersion(index, String(object.apiVersion ?? ""), String(object.kind ?? ""));
    if (!served) continue;
    const meta = metaOf(object);
    const name = `${String(object.kind)} ${meta.namespace ? `${meta.namespace}/` : ""}${meta.name ?? "<no name>"}`;
    if ("refused" in served) {
      checked.push({
        object: name,
        from,
        violations: [{ field: "apiVersion", message: served.refused }],
        rulesEvaluated: 0,
        rulesSkipped: 0,
      });
    } else if (holdsPlaceholder(object)) {
      unchecked.push(`${name}: holds values only known at deploy time`);
    } else {
      checked.push({ object: name, from, ...validateCustomResource(object, served.version) });
    }
  }
  return {
    checked,
    unchecked,
    violations: checked.reduce((n, c) => n + c.violations.length, 0),
    rulesEvaluated: checked.reduce((n, c) => n + c.rulesEvaluated, 0),
    rulesSkipped: checked.reduce((n, c) => n + c.rulesSkipped, 0),
  };
}

/**
 * Compiles the schemas and rules the run's own custom resources are checked against, ahead of the check (which
 * finds them compiled): the render does this while helm expands the releases in other processes.
 */
export function compileCustomResourceChecks(run: ProgramRun): void {
  const index = crdsApplied(run);
  for (const { object } of objectsOf(run)) {
    const served = servedVersion(index, String(object.apiVersion ?? ""), String(object.kind ?? ""));
    if (served && "version" in served) {
      validatorFor(served.version.schema);
      compileRules(served.version.schema);
    }
  }
}

/** One line per violation: `<Kind> <namespace/name> [(Helm release ...)]: <field>: <message>`. */
export function violationLines(check: RunCustomResourceCheck): string[] {
  return check.checked.flatMap((c) =>
    c.violations.map((v) => `${c.object}${c.from ? ` (${c.from})` : ""}: ${v.field}: ${v.message}`),
  );
}
