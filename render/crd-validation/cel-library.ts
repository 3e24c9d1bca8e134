/**
 * The CEL environment `x-kubernetes-validations` rules are compiled in: @marcbachmann/cel-js (CEL's standard
 * definitions and macros: has, all, exists, filter, size, matches, startsWith, endsWith, int(), and the
 * extended strings library's split), `self` and `oldSelf` as dynamically typed variables, and those functions
 * of Kubernetes' own CEL libraries (https://kubernetes.io/docs/reference/using-api/cel/) that the pinned CRDs'
 * rules call, and no others: a rule calling one not here fails to compile, so a chart bump that brings one in is
 * seen rather than passed.
 *
 * Regular expressions are RE2 in Kubernetes and JavaScript's here: the same for the patterns the pinned rules use.
 */
import { Environment } from "@marcbachmann/cel-js";

/** The Kubernetes library functions added here, by the name a rule calls them. */
export const KUBERNETES_CEL_FUNCTIONS = ["find"] as const;

const regexes = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let compiled = regexes.get(pattern);
  if (!compiled) {
    try {
      compiled = new RegExp(pattern, "u");
    } catch {
      compiled = new RegExp(pattern);
    }
    regexes.set(pattern, compiled);
  }
  return compiled;
}

/**
 * `<string>.find(<string>) <string>`: the first match of the regular expression in the string, or `""` when none
 * (Kubernetes regex library, https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-regex-library;
 * https://github.com/kubernetes/kubernetes/blob/008b3652959ca58af8be3fb5b6ecfe9ae7638282/staging/src/k8s.io/apiserver/pkg/cel/library/regex.go).
 */
export function find(text: string, pattern: string): string {
  return regex(pattern).exec(text)?.[0] ?? "";
}

let environment: Environment | undefined;

/** The one environment every rule compiles in (made on first use: an environment is costly to make). */
export function celEnvironment(): Environment {
  environment ??= new Environment()
    .registerVariable("self", "dyn")
    .registerVariable("oldSelf", "dyn")
    .registerFunction("string.find(string): string", find);
  return environment;
}
