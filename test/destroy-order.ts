/**
 * The order `pulumi destroy` deletes in, derived from the recorded graph: the engine deletes a resource
 * only after everything that depends on it (explicit dependsOn, dependencies implied by inputs, and
 * dependencies on a component, which stand for everything inside it) and after its children: a reverse
 * topological order. Ties are broken by URN so the order is deterministic.
 */
import type { ProgramRun } from "../render/harness";

export function destroyOrder(run: ProgramRun): string[] {
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const children = new Map<string, string[]>();
  for (const r of run.resources)
    if (r.parent && byUrn.has(r.parent)) children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
  const within = (urn: string): string[] => [urn, ...(children.get(urn) ?? []).flatMap(within)];
  // dependents[x] = what must be deleted before x.
  const dependents = new Map<string, Set<string>>(run.resources.map((r) => [r.urn, new Set<string>()]));
  for (const r of run.resources) {
    for (const dep of r.dependencies) for (const target of within(dep)) dependents.get(target)?.add(r.urn);
    if (r.provider && byUrn.has(r.provider)) dependents.get(r.provider)?.add(r.urn);
    if (r.parent && byUrn.has(r.parent)) dependents.get(r.parent)?.add(r.urn);
  }
  const order: string[] = [];
  const remaining = new Map([...dependents].map(([urn, set]) => [urn, new Set(set)]));
  while (remaining.size > 0) {
    const ready = [...remaining]
      .filter(([, blockers]) => blockers.size === 0)
      .map(([urn]) => urn)
      .sort();
    if (ready.length === 0) throw new Error(`dependency cycle among ${[...remaining.keys()].join(", ")}`);
    for (const urn of ready) {
      order.push(urn);
      remaining.delete(urn);
      for (const blockers of remaining.values()) blockers.delete(urn);
    }
  }
  return order;
}
