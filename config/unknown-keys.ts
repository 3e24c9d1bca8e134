/** Keys the project does not declare: each is refused, with the key that was most likely meant. */
import * as awsProviderConfig from "@pulumi/aws/config";
import { CONFIG_DEFAULTS, keyName, PROJECT } from "./keys";

/** Edit distance (insert, delete, substitute, swap two neighbours), ignoring case. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[s.length][t.length];
}

/** The declared key closest to a mistyped one, if one is close enough to be what was meant. */
export function closestConfigKey(
  key: string,
  declared: readonly string[] = Object.keys(CONFIG_DEFAULTS),
): string | undefined {
  const limit = Math.max(2, Math.floor(key.length / 3));
  const ranked = [...declared]
    .sort()
    .map((k) => ({ k, d: editDistance(key, k) }))
    .filter((x) => x.d <= limit);
  return ranked.sort((x, y) => x.d - y.d)[0]?.k;
}

/**
 * Keys set in the project's namespace that it does not declare, one problem line each. Pulumi hands the
 * program every key it is given; a mistyped one (`nodeInstanceType`) would be ignored and the stack built
 * on the default of the key that was meant.
 */
export function unknownConfigKeys(keys: readonly string[]): string[] {
  const prefix = `${PROJECT}:`;
  const projectProblems = keys
    .filter((key) => key.startsWith(prefix) && !(key.slice(prefix.length) in CONFIG_DEFAULTS))
    .map((key) => key.slice(prefix.length))
    .sort()
    .map((key) => {
      // A provider setting given to the project (`pulumi config set region ...` sets eks-platform:region).
      if (AWS_PROVIDER_KEYS.includes(key))
        return `${keyName(key)}: not a key of this project; the AWS provider reads aws:${key} (pulumi config set aws:${key} ...)`;
      const closest = closestConfigKey(key);
      // The value is not shown: a mistyped key may hold a secret.
      return `${keyName(key)}: not a key of this project${closest ? `; did you mean ${keyName(closest)}?` : ""} (Pulumi.yaml declares every key)`;
    });
  const awsProblems = keys
    .filter((key) => key.startsWith("aws:") && !AWS_PROVIDER_KEYS.includes(key.slice(4)))
    .sort()
    .map((key) => {
      const closest = closestConfigKey(key.slice(4), AWS_PROVIDER_KEYS);
      return `${key}: not a setting of the AWS provider${closest ? `; did you mean aws:${closest}?` : ""} (@pulumi/aws's config lists them)`;
    });
  return [...awsProblems, ...projectProblems];
}

/**
 * The AWS provider's configuration keys, as the pinned @pulumi/aws declares them (config/vars.js: one
 * getter per key of the provider's schema). A mistyped one (`aws:regoin`) would be ignored and the stack
 * built in another region.
 */
export const AWS_PROVIDER_KEYS: readonly string[] = Object.keys(awsProviderConfig)
  .filter((key) => key !== "requireRegion")
  .sort();
