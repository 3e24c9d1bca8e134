import type { AppArgs, AppContext } from "./app";
import { deployPrefixedGame, type GameUrls } from "./prefixed-game";
import type { ImageSecurityProfile } from "./workload-spec";

/**
 * bsord/tetris: static files served by nginx on port 80. Its image is `FROM nginx` (1.21.6) plus the files,
 * with no `USER`, so by default nginx's master runs as root; here it runs as a high non-root UID (checkov
 * CKV_K8S_40), restricted: no capabilities, read-only root with emptyDirs where nginx writes (cache, pid,
 * temp); its `user nginx;` only draws a warning from a master that is not root. The files and config are
 * world-readable, so no uid of the image's is needed. Port 80 is bindable through the namespaced sysctl
 * `ip_unprivileged_port_start`.
 */
export const TETRIS_SECURITY: ImageSecurityProfile = {
  level: "restricted",
  runAsUser: 10101,
  writablePaths: ["/var/cache/nginx", "/var/run", "/tmp"],
  bindsLowPortAsNonRoot: true,
  why: "non-root nginx (10101) on port 80, writing only its cache, pid file and temp files",
};

/** What each tetris pod asks for (and may use). */
export const TETRIS_RESOURCES = {
  requests: { cpu: "25m", memory: "32Mi" },
  limits: { cpu: "200m", memory: "64Mi" },
} as const;

/** The app's name: its namespace, Deployment and Service, and its path on the shared games ALB. */
export const TETRIS_APP = "tetris";

/** tetris under /tetris/ on the shared games ALB, and on its own NLB as tetris.<domain>. */
export function deployTetris(context: AppContext, args: AppArgs): GameUrls {
  return deployPrefixedGame(context, {
    app: TETRIS_APP,
    image: args.image,
    architectures: args.architectures,
    replicas: args.replicas,
    port: 80,
    resources: TETRIS_RESOURCES,
    security: TETRIS_SECURITY,
    ownNlb: true,
  });
}
