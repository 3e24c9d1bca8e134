import { KUBERNETES } from "../../components/resource-types";
import { ofType } from "../harness";
import { HELM_VERSION } from "../helm";
import { configGroupObjects } from "../manifests";
import type { SummarySectionBuilder } from "./context";
import { countBy, countsText, table } from "./markdown";

export const helmSection: SummarySectionBuilder = ({ run, charts }) => {
  const releases = ofType(run, KUBERNETES.helmRelease);
  if (releases.length === 0) return undefined;
  const crdGroups = ofType(run, KUBERNETES.configGroup).map((g) => [
    g.name,
    String(configGroupObjects(g).length),
    countsText(countBy(configGroupObjects(g), (o) => String(o.kind))),
  ]);
  const crdText =
    crdGroups.length > 0
      ? [
          "CRDs the program applies from the chart archives before each release (Helm installs a chart's CRDs once and never upgrades them):",
          table(["ConfigGroup", "objects", "by kind"], crdGroups),
        ]
      : [];
  if ("notExpanded" in charts) {
    return {
      title: "Helm releases",
      body: [
        `Helm charts not expanded: ${charts.notExpanded}. Each release is written as its chart, version and values.`,
        table(
          ["release", "chart", "version"],
          releases.map((r) => [
            `${String(r.inputs.namespace)}/${String(r.inputs.name ?? r.name)}`,
            `\`${String(r.inputs.chart)}\``,
            String(r.inputs.version),
          ]),
        ),
        ...crdText,
      ].join("\n\n"),
    };
  }
  return {
    title: "Helm releases",
    body: [
      `Expanded with \`helm template\` (helm ${HELM_VERSION}), with the values the program passes; each object's file names its release and template.`,
      table(
        ["release", "chart", "version", "archive", "objects", "by kind"],
        charts.expanded.map((e) => [
          e.release,
          e.chart,
          e.version,
          `\`${e.archive}\``,
          String(e.objects.length),
          countsText(countBy(e.objects, (o) => String(o.object.kind))),
        ]),
      ),
      ...(charts.expanded.some((e) => e.maskedPem > 0)
        ? [
            "Certificates and keys a chart generates at install (new on every render) are written as a fixed placeholder.",
          ]
        : []),
      ...crdText,
    ].join("\n\n"),
  };
};
