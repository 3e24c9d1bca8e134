/**
 * What summary.md says before any section: the risks a reviewer must read first, each with the way to narrow
 * it. The apps' images come from the run; the API endpoint and the cluster's creator from the program's inputs.
 */
import { IMAGE_WARNINGS } from "../../apps/images";
import { AWS, KUBERNETES, PULUMI_EKS } from "../../components/resource-types";
import { ofType, type ProgramRun } from "../harness";

/** The images the run's Deployments and StatefulSets run. */
function images(run: ProgramRun): string[] {
  return [...ofType(run, KUBERNETES.deployment), ...ofType(run, KUBERNETES.statefulSet)].flatMap((r) =>
    (
      (r.inputs.spec as { template?: { spec?: { containers?: Array<{ image?: string }> } } }).template?.spec
        ?.containers ?? []
    ).map((c) => c.image ?? ""),
  );
}

export function headlineItems(run: ProgramRun): string[] {
  const items: string[] = [];
  for (const image of new Set(images(run))) if (IMAGE_WARNINGS[image]) items.push(IMAGE_WARNINGS[image]);
  const cluster = ofType(run, PULUMI_EKS.cluster)[0] ?? ofType(run, AWS.eksCluster)[0];
  const cidrs = (cluster?.inputs.publicAccessCidrs as string[] | undefined) ?? [];
  if (cidrs.includes("0.0.0.0/0"))
    items.push(
      "The Kubernetes API endpoint answers the whole internet (`publicAccessCidrs` 0.0.0.0/0; every call still needs an IAM identity with an access entry): narrow it to your networks with `pulumi config set eks-platform:publicAccessCidrs '[\"203.0.113.0/24\"]'` (your CIDRs; docs/configuration.md).",
    );
  items.push(
    "Whoever creates the cluster keeps the admin access entry EKS gives its creator, beside the admins of `adminPrincipalArns`: once those are in place, remove it with `aws eks delete-access-entry --cluster-name <name> --principal-arn <creator>` (the program does not make it again unless the creator is in the list).",
  );
  return items;
}
