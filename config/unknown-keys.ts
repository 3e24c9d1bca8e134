/**
 * Keys the program does not read: each is refused, with the key that was most likely meant. Pulumi hands the
 * program every key it is given and checks none of them; a mistyped one would be ignored and the stack built
 * without it (`eks-platfrom:domain` renders a stack with no domain, and says nothing).
 */
import * as awsProviderConfig from "@pulumi/aws/config";
import { CONFIG_DEFAULTS, keyName, PROJECT } from "./keys";
import { nearestNames, oneOf } from "./nearest";

export { editDistance } from "./nearest";

/** The declared key closest to a mistyped one, if one is close enough to be what was meant. */
export function closestConfigKey(
  key: string,
  declared: readonly string[] = Object.keys(CONFIG_DEFAULTS),
): string | undefined {
  return nearestNames(key, declared, 1)[0];
}

/**
 * The AWS provider's configuration keys, as the pinned @pulumi/aws declares them (config/vars.js: one
 * getter per key of the provider's schema). A mistyped one (`aws:regoin`) would be ignored and the stack
 * built in another region.
 */
export const AWS_PROVIDER_KEYS: readonly string[] = Object.keys(awsProviderConfig)
  .filter((key) => key !== "requireRegion")
  .sort();

/**
 * The namespaces a key may have, and the keys each reads: the project's, and those of the providers whose
 * default instance the program uses (resources.json: every resource without a provider of its own is the
 * AWS provider's, pulumi-eks's or pulumi-command's). @pulumi/eks and @pulumi/command declare no configuration
 * (their Provider takes no arguments), so any key of theirs is one nothing reads. `pulumi:` is the engine's own.
 */
const NAMESPACES: Readonly<Record<string, readonly string[] | "any">> = {
  [PROJECT]: Object.keys(CONFIG_DEFAULTS),
  aws: AWS_PROVIDER_KEYS,
  eks: [],
  command: [],
  pulumi: "any",
};

/**
 * The Kubernetes provider the program uses is an explicit one, made from the cluster it creates
 * (components/cluster/cluster.ts); only a default provider reads `kubernetes:` settings, so they change nothing.
 */
const KUBERNETES_NOT_READ =
  "not read: every Kubernetes object goes through the explicit provider made from the cluster this program creates (components/cluster/cluster.ts), and only a default provider reads kubernetes: settings";

/** What was meant by a key in a namespace the program does not read, if anything is near enough. */
function meantFor(namespace: string, key: string): string[] {
  // A mistyped namespace (`eks-platfrom`): the nearest namespace that declares keys, with the key itself
  // corrected if need be.
  const withKeys = Object.entries(NAMESPACES).filter(
    (entry): entry is [string, readonly string[]] => entry[1] !== "any" && entry[1].length > 0,
  );
  const corrected = nearestNames(
    namespace,
    withKeys.map(([ns]) => ns),
  ).flatMap((ns) => {
    const keys = NAMESPACES[ns] as readonly string[];
    return keys.includes(key) ? [`${ns}:${key}`] : nearestNames(key, keys, 1).map((k) => `${ns}:${k}`);
  });
  if (corrected.length > 0) return corrected;
  // The right key in a wrong namespace (`project:domain`), or else the nearest whole key.
  const known = withKeys.flatMap(([ns, keys]) => keys.map((k) => `${ns}:${k}`));
  const exact = known.filter((k) => k.endsWith(`:${key}`));
  return exact.length > 0 ? exact : nearestNames(`${namespace}:${key}`, known);
}

/**
 * Keys the program does not read, one problem line each: a key of the project's namespace it does not
 * declare, a setting the AWS provider does not have, a namespace nothing here reads. The value is never
 * shown: a mistyped key may hold a secret.
 */
export function unknownConfigKeys(keys: readonly string[]): string[] {
  const problems: string[] = [];
  for (const full of [...keys].sort()) {
    const cut = full.indexOf(":");
    const namespace = cut < 0 ? "" : full.slice(0, cut);
    const key = full.slice(cut + 1);
    const declared = NAMESPACES[namespace];
    if (declared === "any" || (declared !== undefined && declared.includes(key))) continue;
    if (namespace === PROJECT) {
      // A provider setting given to the project (`pulumi config set region ...` sets eks-platform:region).
      if (AWS_PROVIDER_KEYS.includes(key)) {
        problems.push(
          `${keyName(key)}: not a key of this project; the AWS provider reads aws:${key} (pulumi config set aws:${key} ...)`,
        );
        continue;
      }
      const closest = closestConfigKey(key);
      problems.push(
        `${keyName(key)}: not a key of this project${closest ? `; did you mean ${keyName(closest)}?` : ""} (Pulumi.yaml declares every key)`,
      );
    } else if (namespace === "aws") {
      const closest = closestConfigKey(key, AWS_PROVIDER_KEYS);
      problems.push(
        `${full}: not a setting of the AWS provider${closest ? `; did you mean aws:${closest}?` : ""} (@pulumi/aws's config lists them)`,
      );
    } else if (declared !== undefined) {
      problems.push(`${full}: not a setting of the ${namespace} provider: @pulumi/${namespace} declares none`);
    } else if (namespace === "kubernetes") {
      problems.push(`${full}: ${KUBERNETES_NOT_READ}`);
    } else {
      const meant = meantFor(namespace, key);
      problems.push(
        `${full}: ${JSON.stringify(namespace)} is not a namespace this program reads${meant.length > 0 ? `; did you mean ${oneOf(meant)}?` : ""} (it reads ${PROJECT}: keys, which Pulumi.yaml declares, and the AWS provider's aws: settings)`,
      );
    }
  }
  return problems;
}
