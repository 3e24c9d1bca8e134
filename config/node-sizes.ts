/** The node group's three sizes, in order, and which key a disorder is blamed on. */
import { CONFIG_DEFAULTS } from "./keys";

type NodeSizeKey = "nodeMinSize" | "nodeDesiredSize" | "nodeMaxSize";

/**
 * The node group's sizes out of order (nodeMinSize <= nodeDesiredSize <= nodeMaxSize), blamed on a key the
 * user set: one left at its default is named as such, never blamed (nodeMinSize=7 is the mistake, not the
 * default nodeDesiredSize 3 below it). "Set" means "not the default", which is all the program can see.
 */
export function nodeSizeProblem(
  c: Readonly<Record<NodeSizeKey, number>>,
): { key: NodeSizeKey; message: string } | undefined {
  const isSet = (key: NodeSizeKey) => c[key] !== CONFIG_DEFAULTS[key];
  const named = (key: NodeSizeKey) => `${key} (${c[key]}${isSet(key) ? "" : ", its default"})`;
  const order = "nodeMinSize <= nodeDesiredSize <= nodeMaxSize";
  // The pair out of order: min against max first, since then no desired size can fit between them.
  const pair: [NodeSizeKey, NodeSizeKey] | undefined =
    c.nodeMinSize > c.nodeMaxSize
      ? ["nodeMinSize", "nodeMaxSize"]
      : c.nodeMinSize > c.nodeDesiredSize
        ? ["nodeMinSize", "nodeDesiredSize"]
        : c.nodeDesiredSize > c.nodeMaxSize
          ? ["nodeDesiredSize", "nodeMaxSize"]
          : undefined;
  if (!pair) return undefined;
  const [low, high] = pair;
  // The key the user set takes the blame; when both or neither were set, the one that is too big.
  if (isSet(high) && !isSet(low))
    return { key: high, message: `expected at least ${named(low)}: ${order}; raise ${high}, or lower ${low} too` };
  return {
    key: low,
    message: `expected at most ${named(high)}: ${order}${isSet(high) ? "" : `; lower ${low}, or raise ${high} too`}`,
  };
}
