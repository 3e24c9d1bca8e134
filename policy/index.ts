/**
 * The eks-platform policy pack: `pulumi preview --policy-pack policy` runs this file (from this
 * folder, with this folder's node_modules: install them first, see PulumiPolicy.yaml).
 *
 * Only the pack itself lives here: constructing a PolicyPack starts the analyzer's gRPC server, so the
 * policies are in policies.ts, where the tests import them without starting it.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

// Each policy sets its own level (mandatory, or advisory for what a team may relax); this is only the fallback.
new PolicyPack("eks-platform", { policies, enforcementLevel: "mandatory" });
