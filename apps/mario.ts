import type { AppArgs, AppContext } from "./app";
import { deployPrefixedGame, type GameUrls } from "./prefixed-game";
import type { ImageSecurityProfile } from "./workload-spec";

/**
 * pengbai/docker-supermario: Tomcat (`catalina.sh run`, built mid-2018 on the official Tomcat image) on 8080.
 * It cannot run as another user: every Tomcat tarball ships conf/* as 0600 root (8.5 and 9 also bin/, lib/
 * and webapps/ as 0750/0640), and the official image added `chmod -R +rX` only on 2018-09-06, after this
 * image was built; its Dockerfile is nowhere public. Nor read-only: whether the game ships as a WAR Tomcat
 * unpacks into webapps/ at start is unknown. So it stays root (Pod Security baseline, said in summary.md and
 * waived below by rule), but with no capability it does not need: Tomcat never switches users or chowns, so
 * only DAC_OVERRIDE and FOWNER stay, for files the image may own under another uid.
 */
export const MARIO_SECURITY: ImageSecurityProfile = {
  level: "baseline",
  addCapabilities: ["DAC_OVERRIDE", "FOWNER"],
  why: "Tomcat as root: the image's conf/ is readable by root only, and its webapps/ may be unpacked at start",
  waivers: [
    {
      checkov: "CKV_K8S_23",
      kubeScore: "container-security-context-user-group-id",
      reason: "Tomcat's conf/ in this image is readable by root only",
    },
    { checkov: "CKV_K8S_40", reason: "runs as root (uid 0): see CKV_K8S_23" },
    {
      checkov: "CKV_K8S_22",
      kubeScore: "container-security-context-readonlyrootfilesystem",
      reason: "Tomcat may unpack the game into webapps/ at start",
    },
    { checkov: "CKV_K8S_25", reason: "DAC_OVERRIDE and FOWNER for files the image may own under another uid" },
  ],
};

/** What each mario pod asks for (and may use): a JVM, so more memory. */
export const MARIO_RESOURCES = {
  requests: { cpu: "250m", memory: "512Mi" },
  limits: { cpu: "1", memory: "768Mi" },
} as const;

/** The app's name: its namespace, Deployment and Service, and its path on the shared games ALB. */
export const MARIO_APP = "mario";

/** mario under /mario/ on the shared games ALB. */
export function deployMario(context: AppContext, args: AppArgs): GameUrls {
  return deployPrefixedGame(context, {
    app: MARIO_APP,
    image: args.image,
    architectures: args.architectures,
    replicas: args.replicas,
    port: 8080,
    // A JVM: the startup probe gives it time to boot.
    resources: MARIO_RESOURCES,
    security: MARIO_SECURITY,
    ownNlb: false,
  });
}
