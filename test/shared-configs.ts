/**
 * Configurations more than one test file runs. The harness keeps one run per configuration, and the suite's
 * time is mostly runs, so tests that each need one choice made against the defaults share one run that
 * makes them all.
 */

/**
 * A team's choices against the logging, load-balancer and image defaults: fewer log types, a year's
 * retention, protected load balancers without cross-zone balancing, the web ACL, and every app image pinned
 * by digest, in each form the reference grammar allows (a registry port, a tag beside the digest, neither).
 */
export const TEAM_CHOICES = {
  controlPlaneLogTypes: '["api","audit"]',
  controlPlaneLogRetentionDays: "365",
  loadBalancerDeletionProtection: "true",
  nlbCrossZoneLoadBalancing: "false",
  webAcl: "true",
  echoImage: `localhost:5000/echo:1@sha256:${"a".repeat(64)}`,
  game2048Image: `public.ecr.aws/l6m2t8p7/docker-2048@sha256:${"b".repeat(64)}`,
  tetrisImage: `bsord/tetris@sha256:${"c".repeat(64)}`,
  marioImage: `pengbai/docker-supermario:1.0@sha256:${"d".repeat(64)}`,
  // Autoscaling of their own: echo from 6, every app up to 24, at half its CPU request.
  echoReplicas: "6",
  appMaxReplicas: "24",
  appTargetCpuUtilization: "50",
} as const;

/** Karpenter on spot and on-demand, arm64 only, with a domain (so the apps' IngressClassParams are in play too). */
export const SPOT_ARM_WITH_DOMAIN = {
  karpenterCapacityTypes: '["spot","on-demand"]',
  karpenterArchitectures: '["arm64"]',
  // Every image said to run on arm64, and a Graviton managed group: otherwise config refuses the arm64-only Karpenter.
  echoArchitectures: '["arm64"]',
  game2048Architectures: '["arm64"]',
  tetrisArchitectures: '["arm64"]',
  marioArchitectures: '["arm64"]',
  nodeInstanceTypes: '["m7g.large"]',
  domain: "example.com",
} as const;

/** Every app's image said to run on amd64 and arm64: what a Graviton managed group needs of them. */
export const IMAGES_ON_EVERY_ARCHITECTURE = {
  echoArchitectures: '["amd64","arm64"]',
  game2048Architectures: '["amd64","arm64"]',
  tetrisArchitectures: '["amd64","arm64"]',
  marioArchitectures: '["amd64","arm64"]',
} as const;
