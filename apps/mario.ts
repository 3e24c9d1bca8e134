import type { AppContext } from "./app";
import { deployPrefixedGame, type GameUrls } from "./prefixed-game";
import type { ImageSecurityProfile } from "./workload-spec";

/** pengbai/docker-supermario: Tomcat as root on 8080, writing its work, temp and log directories under CATALINA_HOME. */
export const MARIO_SECURITY: ImageSecurityProfile = {
  level: "baseline",
  addCapabilities: ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"],
  why: "Tomcat runs as root and writes work/, temp/ and logs/ in the image",
};

/** What each mario pod asks for (and may use): a JVM, so more memory. */
export const MARIO_RESOURCES = { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "768Mi" } } as const;

/** mario under /mario/ on the shared games ALB. */
export function deployMario(context: AppContext, args: { image: string; replicas: number }): GameUrls {
  return deployPrefixedGame(context, {
    app: "mario",
    image: args.image,
    replicas: args.replicas,
    port: 8080,
    // A JVM: the startup probe gives it time to boot.
    resources: MARIO_RESOURCES,
    security: MARIO_SECURITY,
    ownNlb: false,
  });
}
