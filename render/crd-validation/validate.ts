/**
 * One custom resource checked as the API server checks it on a create, in its order: fields the schema does not
 * declare are pruned, nulls where none may be are dropped, defaults are applied; then the schema (types, enums,
 * patterns, bounds, required), list uniqueness (`x-kubernetes-list-type`) and every CEL rule are checked on
 * what is left. The API server drops an undeclared field with at most a warning; this check reports it as a
 * violation as well, since its value would be lost, as `kubectl apply`'s default strict field validation refuses
 * it ("unknown field").
 */
import type { KubeObject } from "../kube";
import { evaluateRules } from "./cel-rules";
import { celValue } from "./cel-values";
import type { CrdVersion } from "./crd-index";
import { applyDefaults } from "./defaults";
import { listTypeErrors } from "./list-types";
import { schemaErrors } from "./openapi";
import { pruneNonNullableNulls, pruneUnknownFields } from "./prune";
import { type FieldError, fieldPathText } from "./schema";

/** One thing the API server would refuse (or silently drop): where, and what it (or the CRD) says. */
export interface Violation {
  /** The field, as the API server prints it: `spec.template.spec.requirements[0].key`. */
  readonly field: string;
  readonly message: string;
}

export interface CustomResourceCheck {
  readonly violations: readonly Violation[];
  /** CEL rule evaluations made (one per rule per node it applies to). */
  readonly rulesEvaluated: number;
  /** Transition rule evaluations skipped (they compare with a stored object; a create has none). */
  readonly rulesSkipped: number;
}

const violation = (error: FieldError): Violation => ({ field: fieldPathText(error.path), message: error.message });

export function validateCustomResource(object: KubeObject, crd: CrdVersion): CustomResourceCheck {
  const { status: _status, ...main } = object;
  const { value: pruned, pruned: dropped } = pruneUnknownFields(crd.statusSubresource ? main : object, crd.schema);
  const stored = applyDefaults(pruneNonNullableNulls(pruned, crd.schema), crd.schema);
  const rules = evaluateRules(celValue(stored, crd.schema), crd.schema);
  const violations = [
    ...dropped.map((path) =>
      violation({
        path,
        message: `unknown field: not in the schema of ${crd.crd}, so the API server would drop it`,
      }),
    ),
    ...schemaErrors(stored, crd.schema).map(violation),
    ...listTypeErrors(stored, crd.schema).map(violation),
    ...rules.errors.map(violation),
  ];
  return { violations, rulesEvaluated: rules.evaluated, rulesSkipped: rules.skipped };
}
